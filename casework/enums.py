"""Fixed vocabularies the reports count by (docs/domain.md, "Records"). Editable lists live in
codelists."""

from django.db import models


class Gender(models.TextChoices):
    MALE = "male", "Male"
    FEMALE = "female", "Female"
    OTHER = "other", "Other"
    NOT_KNOWN = "not_known", "Not known"


class SenStatus(models.TextChoices):
    SEN = "sen", "SEN"
    NON_SEN = "non_sen", "Non-SEN"
    CONCERN = "concern", "Other / undiagnosed concern"
    NOT_KNOWN = "not_known", "Not known"


class SenStage(models.TextChoices):
    NONE = "", "None recorded"
    SCHOOL_ACTION = "school_action", "School Action (historic)"
    SCHOOL_ACTION_PLUS = "school_action_plus", "School Action Plus (historic)"
    STATUTORY_ASSESSMENT = "statutory_assessment", "Statutory assessment (historic)"
    STATEMENT = "statement", "Statement (historic)"
    SEN_SUPPORT = "sen_support", "SEN support"
    EHC_ASSESSMENT = "ehc_assessment", "EHC needs assessment"
    EHC_PLAN = "ehc_plan", "EHC plan"


# The stages of the framework before 2014: valid on old records and in reports, not offered
# for a child who does not already have one (casework.forms.ChildForm).
RETIRED_SEN_STAGES = frozenset(
    {
        SenStage.SCHOOL_ACTION,
        SenStage.SCHOOL_ACTION_PLUS,
        SenStage.STATUTORY_ASSESSMENT,
        SenStage.STATEMENT,
    }
)


class Ethnicity(models.TextChoices):
    """ONS 2011 census groups, plus "not stated"."""

    WHITE_BRITISH = "white_british", "White: English, Welsh, Scottish, Northern Irish or British"
    WHITE_IRISH = "white_irish", "White: Irish"
    WHITE_GYPSY = "white_gypsy", "White: Gypsy or Irish Traveller"
    WHITE_OTHER = "white_other", "White: any other White background"
    MIXED_WBC = "mixed_wbc", "Mixed: White and Black Caribbean"
    MIXED_WBA = "mixed_wba", "Mixed: White and Black African"
    MIXED_WA = "mixed_wa", "Mixed: White and Asian"
    MIXED_OTHER = "mixed_other", "Mixed: any other mixed background"
    ASIAN_INDIAN = "asian_indian", "Asian or Asian British: Indian"
    ASIAN_PAKISTANI = "asian_pakistani", "Asian or Asian British: Pakistani"
    ASIAN_BANGLADESHI = "asian_bangladeshi", "Asian or Asian British: Bangladeshi"
    ASIAN_CHINESE = "asian_chinese", "Asian or Asian British: Chinese"
    ASIAN_OTHER = "asian_other", "Asian or Asian British: any other Asian background"
    BLACK_AFRICAN = "black_african", "Black or Black British: African"
    BLACK_CARIBBEAN = "black_caribbean", "Black or Black British: Caribbean"
    BLACK_OTHER = "black_other", "Black or Black British: any other Black background"
    ARAB = "arab", "Other ethnic group: Arab"
    OTHER = "other", "Other ethnic group: any other"
    NOT_STATED = "not_stated", "Not stated"


class ContactPreference(models.TextChoices):
    PHONE = "phone", "Phone"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    TEXT = "text", "Text message"


class AccessibleFormat(models.TextChoices):
    LARGE_PRINT = "large_print", "Large print"
    AUDIO = "audio", "Audio"
    BRAILLE = "braille", "Braille"
    EASY_READ = "easy_read", "Easy read"


class CaseStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class CaseEventKind(models.TextChoices):
    OPENED = "opened", "Opened"
    CLOSED = "closed", "Closed"
    REOPENED = "reopened", "Re-opened"


class ClosureReason(models.TextChoices):
    RESOLVED = "resolved", "Resolved"
    NO_CONTACT = "no_contact", "No contact for 3 months"
    REFERRED_ON = "referred_on", "Referred on"
    WITHDREW = "withdrew", "Parent withdrew"
    OTHER = "other", "Other"


class Outcome(models.TextChoices):
    RESOLVED = "resolved", "Resolved"
    SOME_IMPROVEMENT = "some_improvement", "Some improvement"
    LOT_OF_IMPROVEMENT = "lot_of_improvement", "A lot of improvement"
    ONGOING = "ongoing", "Ongoing"
    NO_CHANGE = "no_change", "No change"


class Mention(models.TextChoices):
    """How an issue (bullying, unofficial exclusion) figured in a case."""

    NONE = "none", "Not raised"
    MAIN = "main", "Main reason"
    MENTIONED = "mentioned", "Mentioned"


class OfficialExclusion(models.TextChoices):
    NONE = "none", "None"
    FIXED_TERM = "fixed_term", "Fixed-term"
    PERMANENT = "permanent", "Permanent"


class ContactMethod(models.TextChoices):
    PHONE_IN = "phone_in", "Phone in"
    PHONE_OUT = "phone_out", "Phone out"
    EMAIL_IN = "email_in", "Email in"
    EMAIL_OUT = "email_out", "Email out"
    LETTER = "letter", "Letter"
    TEXT = "text", "Text message"
    OFFICE = "office", "Face-to-face at office"
    HOME_VISIT = "home_visit", "Home visit"
    SCHOOL_MEETING = "school_meeting", "Meeting at school"
    MULTI_AGENCY = "multi_agency", "Multi-agency meeting"
    TRIBUNAL = "tribunal", "Tribunal or hearing attendance"


class EnquirerType(models.TextChoices):
    PARENT = "parent", "Parent or carer"
    PROFESSIONAL = "professional", "Professional"
    OTHER = "other", "Other"


class FeedbackKind(models.TextChoices):
    COMPLAINT = "complaint", "Complaint"
    COMPLIMENT = "compliment", "Compliment"
    SUGGESTION = "suggestion", "Suggestion"


class FeedbackChannel(models.TextChoices):
    PHONE = "phone", "Phone"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    IN_PERSON = "in_person", "In person"
    EVALUATION_FORM = "evaluation_form", "Evaluation form"
    OTHER = "other", "Other"


class FeedbackAbout(models.TextChoices):
    STAFF = "staff", "Staff"
    SERVICE = "service", "The service"
    INFORMATION = "information", "Information"
    ACCESS = "access", "Access"
    VOLUNTEERS = "volunteers", "Volunteers"
    OTHER = "other", "Other"


class LetterKind(models.TextChoices):
    """What a letter template makes (casework.letters): a printed letter or an email."""

    LETTER = "letter", "Letter"
    EMAIL = "email", "Email"


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", "Booked"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class ContactShare(models.TextChoices):
    """How one contact about several children of a family is counted on their cases."""

    REPEAT = "repeat", "Repeat the minutes on each case"
    SPLIT = "split", "Split the minutes between the cases"
