"""Existing services' reasons for contact in today's SEND vocabulary (docs/domain.md,
"Records"): each pre-2014 term the service still has under its shipped name is retired
(kept on old records and in reports, no longer offered) and its successor added at its
place in the list. A value a coordinator renamed is theirs and is left alone; so is a
successor a service already has. Going back re-activates the old terms and removes the
successors that no record uses."""

from django.db import migrations
from django.db.models import F

# As casework/codelists.py ships them when this migration was written (a migration must
# not import the app's current code).
SUCCESSORS = {
    "Statutory assessment request or process": "EHC needs assessment request or process",
    "Provision for a child with a statement or EHC plan": "Provision in an EHC plan",
    "Provision at SEN support (School Action / Plus)": "Provision at SEN support",
    "Statutory assessment queries": "EHC needs assessment queries",
    "Proposed statement or plan": "Proposed (draft) EHC plan",
    "Tribunal appeal": "SEND Tribunal appeal",
}


def retire_old_terms(apps, schema_editor):
    ContactReason = apps.get_model("casework", "ContactReason")
    old_terms = ContactReason.objects.filter(name__in=SUCCESSORS, active=True)
    have = set(
        ContactReason.objects.filter(name__in=SUCCESSORS.values()).values_list(
            "service_id", "name"
        )
    )
    ContactReason.objects.bulk_create(
        ContactReason(
            service_id=old.service_id,
            name=SUCCESSORS[old.name],
            position=old.position,
            is_not_known=False,
        )
        for old in old_terms
        if (old.service_id, SUCCESSORS[old.name]) not in have
    )
    # A version step, as any edit makes: a form opened on the old value before sees a
    # conflict instead of saving it active again.
    old_terms.update(active=False, version=F("version") + 1)


def restore_old_terms(apps, schema_editor):
    ContactReason = apps.get_model("casework", "ContactReason")
    Case = apps.get_model("casework", "Case")
    Enquiry = apps.get_model("casework", "Enquiry")
    used = set(Case.objects.values_list("primary_reason_id", flat=True))
    used |= set(Case.secondary_reasons.through.objects.values_list("contactreason_id", flat=True))
    used |= set(Enquiry.objects.values_list("topic_id", flat=True))
    ContactReason.objects.filter(name__in=SUCCESSORS.values()).exclude(pk__in=used).delete()
    ContactReason.objects.filter(name__in=SUCCESSORS, active=False).update(
        active=True, version=F("version") + 1
    )


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0012_case_closing_summary"),
    ]

    operations = [
        migrations.RunPython(retire_old_terms, restore_old_terms),
    ]
