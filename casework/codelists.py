"""The values each code list ships with (docs/domain.md, "Records"). A coordinator edits them per
service."""

from casework.models import ContactReason, NeedArea, ReferralRoute, SchoolType

NOT_KNOWN = "Not known"
# The reasons for contact that name an official exclusion: a case whose primary reason is
# one of them came to the service about the exclusion (the annual report counts it as the
# main reason, docs/reporting.md, "Bullying and exclusions"). A service that renames them
# counts its official exclusions as mentioned only.
OFFICIAL_EXCLUSION_REASONS = ("Fixed-term exclusion", "Permanent exclusion")

REFERRAL_ROUTES = [
    "Used the service before",
    "School or pre-school",
    "LA education service",
    "Family Information Service",
    "Other parent or friend",
    "Voluntary sector",
    "Health",
    "Other council service",
    "Website",
    "Advert or publicity",
    "Other",
    NOT_KNOWN,
]

# Today's SEND vocabulary (the Children and Families Act 2014 and the SEND Code of Practice).
CONTACT_REASONS = [
    "EHC needs assessment request or process",
    "Provision in an EHC plan",
    "Provision at SEN support",
    "EHC needs assessment queries",
    "Annual review",
    "Proposed (draft) EHC plan",
    "School placement or admissions",
    "Transition",
    "Relationship with school",
    *OFFICIAL_EXCLUSION_REASONS,
    "Unofficial exclusion",
    "Bullying",
    "SEND Tribunal appeal",
    "Disagreement resolution",
    "Transport",
    "Not in full-time education",
    "Other",
]

# The terms of the framework before 2014, each with the value that replaced it. They are
# shipped retired (active=False): valid on old records and counted in reports, never offered
# on a new record's form (pps.forms.ScopedModelForm). casework/migrations/0013 applies the
# same change to services made before it.
RETIRED_CONTACT_REASONS = {
    "Statutory assessment request or process": "EHC needs assessment request or process",
    "Provision for a child with a statement or EHC plan": "Provision in an EHC plan",
    "Provision at SEN support (School Action / Plus)": "Provision at SEN support",
    "Statutory assessment queries": "EHC needs assessment queries",
    "Proposed statement or plan": "Proposed (draft) EHC plan",
    "Tribunal appeal": "SEND Tribunal appeal",
}

NEED_AREAS = {
    "Cognition and learning": [
        "Moderate learning difficulty (MLD)",
        "Severe learning difficulty (SLD)",
        "Profound and multiple learning difficulty (PMLD)",
        "Specific learning difficulty (SpLD, including dyslexia)",
    ],
    "Communication and interaction": [
        "Autistic spectrum",
        "Autism",
        "Asperger's",
        "Speech, language and communication",
    ],
    "Social, emotional and mental health": [
        "Behavioural, emotional and social difficulties (BESD, historic)",
    ],
    "Sensory and/or physical": [
        "Hearing impairment",
        "Visual impairment",
        "Multi-sensory impairment",
        "Physical disability",
    ],
    "Medical condition": [],
}

SCHOOL_TYPES = [
    "Mainstream primary",
    "Mainstream secondary",
    "Special school",
    "Academy or free school",
    "Independent school",
    "Early years setting",
    "Post-16 college",
    "Not in education",
]


def _flat(model, service, names, retired=()):
    """The list's values in order, then its retired ones (inactive) after them."""
    model.objects.bulk_create(
        model(
            service=service,
            name=name,
            position=i,
            is_not_known=name == NOT_KNOWN,
            active=name not in retired,
        )
        for i, name in enumerate([*names, *retired])
    )


def create_default_code_lists(service) -> None:
    """Give a new service the shipped values of every code list."""
    _flat(ReferralRoute, service, REFERRAL_ROUTES)
    _flat(ContactReason, service, CONTACT_REASONS, retired=list(RETIRED_CONTACT_REASONS))
    _flat(SchoolType, service, SCHOOL_TYPES)
    for i, (area_name, subtypes) in enumerate(NEED_AREAS.items()):
        area = NeedArea.objects.create(service=service, name=area_name, position=i)
        NeedArea.objects.bulk_create(
            NeedArea(service=service, area=area, name=name, position=j)
            for j, name in enumerate(subtypes)
        )
