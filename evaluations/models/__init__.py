from evaluations.models.event import Event
from evaluations.models.form import EvaluationForm, FormVersion, Question
from evaluations.models.sending import Answer, Response, Sending

__all__ = [
    "Answer",
    "EvaluationForm",
    "Event",
    "FormVersion",
    "Question",
    "Response",
    "Sending",
]
