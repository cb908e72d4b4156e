"""The demo service's letterhead and two templates to write from a case (docs/letters.md):
a letter confirming an appointment and an email after a phone call."""

from casework.enums import LetterKind
from casework.models import LetterTemplate

ADDRESS = "County Hall\nMarket Street\nDemoton\nDM1 1AA"
PHONE = "01632 960123"

TEMPLATES = (
    (
        "Appointment confirmation",
        LetterKind.LETTER,
        "Your appointment with [service name]",
        "Dear [parent name],\n\n"
        "Thank you for contacting us about [child first name]. This letter confirms the "
        "appointment we arranged with you. If the time no longer suits you, please ring us "
        "on [service phone] and we will find another.\n\n"
        "Please bring any letters or reports about [child first name]'s needs that you would "
        "like us to look at together.\n\n"
        "Yours sincerely,\n\n[officer name]\n[service name]\n\nOur reference: [case reference]",
    ),
    (
        "Following our call",
        LetterKind.EMAIL,
        "Following our call about [child first name]",
        "Dear [parent first name],\n\n"
        "Thank you for speaking with me today. As we agreed, I am sending you a summary of "
        "what we discussed and what happens next.\n\n"
        "If anything changes, or you have questions, you can reach us on [service phone].\n\n"
        "Best wishes,\n[officer name]\n[service name]\n\n"
        "Our reference: [case reference]",
    ),
)


def generate_letters(*, service) -> dict[str, int]:
    service.postal_address = ADDRESS
    service.phone = PHONE
    service.save()
    LetterTemplate.objects.bulk_create(
        LetterTemplate(service=service, name=name, kind=kind, subject=subject, body=body)
        for name, kind, subject, body in TEMPLATES
    )
    return {"letter_templates": len(TEMPLATES)}
