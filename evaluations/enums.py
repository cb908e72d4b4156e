"""Fixed vocabularies of evaluation forms, sendings and events (docs/domain.md, "Records")."""

from django.db import models

NOT_APPLICABLE = "Not applicable"


class FormKind(models.TextChoices):
    PARENT = "parent", "Parent evaluation"
    PROFESSIONAL = "professional", "Professional evaluation"
    EVENT = "event", "Event or training evaluation"
    SCHOOLS = "schools", "Schools' satisfaction survey"
    VOLUNTEER = "volunteer", "Volunteer questionnaire"


class QuestionKind(models.TextChoices):
    RATING = "rating", "Rating scale"
    YES_NO = "yes_no", "Yes or no"
    SINGLE = "single", "One choice"
    MULTIPLE = "multiple", "Several choices"
    TEXT = "text", "Free text"


class Scale(models.TextChoices):
    """Rating scales, best answer first. The first answers up to `positive` count as
    "Good or better" (satisfaction) or "met" (docs/domain.md, "Evaluations")."""

    EXCELLENCE = "excellence", "Excellent to Unsatisfactory"
    MET = "met", "More than met to Not met"


SCALE_ANSWERS = {
    Scale.EXCELLENCE: ["Excellent", "Very good", "Good", "Satisfactory", "Unsatisfactory"],
    Scale.MET: ["More than met", "Met", "Partly met", "Not met"],
}
# How many of a scale's first answers count as a positive answer.
SCALE_POSITIVE = {Scale.EXCELLENCE: 3, Scale.MET: 2}
YES_NO_ANSWERS = ["Yes", "No"]


class Measure(models.TextChoices):
    """What a question measures for the reports, beyond its own answer counts."""

    NONE = "", "Nothing more"
    SATISFACTION = "satisfaction", "Satisfaction (Good or better, against the target)"
    IMPARTIALITY = "impartiality", "Impartiality"


class Channel(models.TextChoices):
    EMAIL = "email", "Email with a one-time link"
    LETTER = "letter", "Printed letter"
    HANDED_OUT = "handed_out", "Handed out at an event"


class EmailStatus(models.TextChoices):
    NOT_EMAIL = "", "Not sent by email"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class RecipientKind(models.TextChoices):
    PARENT = "parent", "Parent or carer"
    PROFESSIONAL = "professional", "Professional"
    ATTENDEE = "attendee", "Event attendee"
    SCHOOL = "school", "School"
    VOLUNTEER = "volunteer", "Volunteer"


class ResponseSource(models.TextChoices):
    ONLINE = "online", "Answered online"
    PAPER = "paper", "Keyed in from paper"


class EventKind(models.TextChoices):
    FORUM = "forum", "Parents' forum meeting"
    ROADSHOW = "roadshow", "Road show or seminar"
    PARENT_TRAINING = "parent_training", "Training for parents"
    PROFESSIONAL_TRAINING = "professional_training", "Training for professionals"
    VOLUNTEER_MEETING = "volunteer_meeting", "IPS support or CPD meeting"
    COFFEE_MORNING = "coffee_morning", "Coffee morning for prospective volunteers"
    CONFERENCE = "conference", "Conference or network meeting attended"


# Events that are training the service gives (the annual report's snapshot counts them).
TRAINING_KINDS = (EventKind.PARENT_TRAINING, EventKind.PROFESSIONAL_TRAINING)
