from evaluations.models.event import Event
from evaluations.models.form import EvaluationForm, FormVersion, Question
from evaluations.models.sending import Answer, Response, Sending
from evaluations.models.tally import TallyMonth

__all__ = [
    "Answer",
    "EvaluationForm",
    "Event",
    "FormVersion",
    "Question",
    "Response",
    "Sending",
    "TallyMonth",
]
