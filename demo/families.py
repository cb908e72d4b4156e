"""The demo's families: parents and their children, with the needs, schools and
backgrounds services record, drawn at the rates they report."""

import datetime as dt

from casework.enums import (
    AccessibleFormat,
    ContactPreference,
    Ethnicity,
    Gender,
    SenStage,
    SenStatus,
)
from casework.models import Child, NeedArea, Parent, SchoolType
from demo.context import by_name, weighted

# Areas of need: the share of children with each area as their primary need.
NEED_AREAS = {
    "Communication and interaction": 40,
    "Social, emotional and mental health": 20,
    "Cognition and learning": 22,
    "Sensory and/or physical": 10,
    "Medical condition": 8,
}
# School years by phase: (share of cases, youngest and oldest age in whole years).
AGE_BANDS = [(8, 2, 3), (15, 4, 6), (27, 7, 10), (42, 11, 15), (8, 16, 19)]
SCHOOLS_BY_AGE = [
    # (up to age, [(school type, weight, school name pattern)])
    (3, [("Early years setting", 85, "{} Pre-School"), ("Not in education", 15, "")]),
    (
        10,
        [
            ("Mainstream primary", 62, "{} Primary School"),
            ("Academy or free school", 16, "{} Academy"),
            ("Special school", 12, "{} Special School"),
            ("Independent school", 3, "{} House School"),
            ("Not in education", 7, ""),
        ],
    ),
    (
        15,
        [
            ("Mainstream secondary", 46, "{} High School"),
            ("Academy or free school", 28, "{} Academy"),
            ("Special school", 14, "{} Special School"),
            ("Independent school", 4, "{} College School"),
            ("Not in education", 8, ""),
        ],
    ),
    (
        99,
        [
            ("Post-16 college", 62, "{} College"),
            ("Special school", 22, "{} Special School"),
            ("Not in education", 16, ""),
        ],
    ),
]
SEN_STATUSES = [
    (SenStatus.SEN, 70),
    (SenStatus.CONCERN, 18),
    (SenStatus.NON_SEN, 5),
    (SenStatus.NOT_KNOWN, 7),
]
PLACE_STARTS = ["Ash", "Brook", "Church", "Elm", "Hollin", "Kings", "Marsh", "Mill", "Oak"]
PLACE_STARTS += ["Red", "Stan", "Thorn", "Well", "Wood", "Hather", "Lang", "Cold", "Fern"]
PLACE_ENDS = ["field", "ley", "ton", "bury", "ham", "well", "wood", "gate", "by", "stead", "ford"]
ETHNICITIES = [
    (Ethnicity.WHITE_BRITISH, 74),
    (Ethnicity.WHITE_IRISH, 1),
    (Ethnicity.WHITE_OTHER, 5),
    (Ethnicity.WHITE_GYPSY, 1),
    (Ethnicity.MIXED_WBC, 2),
    (Ethnicity.MIXED_WA, 1),
    (Ethnicity.MIXED_OTHER, 1),
    (Ethnicity.ASIAN_PAKISTANI, 2),
    (Ethnicity.ASIAN_INDIAN, 2),
    (Ethnicity.ASIAN_BANGLADESHI, 1),
    (Ethnicity.BLACK_AFRICAN, 2),
    (Ethnicity.BLACK_CARIBBEAN, 1),
    (Ethnicity.ASIAN_CHINESE, 1),
    (Ethnicity.OTHER, 1),
    (Ethnicity.NOT_STATED, 7),
]
LANGUAGES = [("English", 91), ("Polish", 3), ("Urdu", 2), ("Punjabi", 2), ("Lithuanian", 1)]


class Families:
    def __init__(self, ctx, localities):
        self.service, self.rng, self.fake = ctx.service, ctx.rng, ctx.fake
        self.localities = localities
        self.school_types = {s.name: s for s in SchoolType.objects.filter(service=self.service)}
        needs = list(NeedArea.objects.filter(service=self.service))
        self.need_areas = [n for n in needs if n.area_id is None]
        self.subtypes = {a.pk: [n for n in needs if n.area_id == a.pk] for a in self.need_areas}

    def parent(self, received_on) -> Parent:
        rng = self.rng
        language = weighted(rng, LANGUAGES)
        formats = []
        if rng.random() < 0.04:
            formats = [rng.choice([AccessibleFormat.LARGE_PRINT, AccessibleFormat.EASY_READ])]
        email = self.fake.email() if rng.random() < 0.75 else ""
        return Parent(
            service=self.service,
            first_name=self.fake.first_name(),
            last_name=self.fake.last_name(),
            email=email,
            phone=self.fake.phone_number(),
            preferred_contact=weighted(
                rng,
                [
                    (ContactPreference.PHONE, 55),
                    (ContactPreference.EMAIL, 30 if email else 0),
                    (ContactPreference.TEXT, 10),
                    (ContactPreference.LETTER, 5),
                ],
            ),
            address=self.fake.street_address(),
            postcode=self.fake.postcode(),
            locality=rng.choice(self.localities),
            ethnicity=weighted(rng, ETHNICITIES),
            first_language=language,
            interpreter_needed=language != "English" and rng.random() < 0.5,
            accessible_formats=formats,
            consent_recorded_on=received_on if rng.random() < 0.93 else None,
            consent_details=rng.choice(
                [
                    "May share with the school and the LA SEN team.",
                    "May share with the school only.",
                    "May share with the school, the LA and health professionals.",
                ]
            ),
            confidentiality_explained_on=received_on if rng.random() < 0.96 else None,
            mailing_list=rng.random() < 0.3,
            willing_to_be_consulted=rng.random() < 0.1,
        )

    def child(self, last_name, opened_on) -> Child:
        rng = self.rng
        _, youngest, oldest = weighted(rng, [(band, band[0]) for band in AGE_BANDS])
        age_days = rng.randint(youngest * 365, (oldest + 1) * 365 - 1)
        known_birth = rng.random() < 0.96
        age = age_days // 365
        schools = next(options for up_to, options in SCHOOLS_BY_AGE if age <= up_to)
        type_name, _, pattern = weighted(rng, [(option, option[1]) for option in schools])
        status = weighted(rng, SEN_STATUSES)
        stage = SenStage.NONE
        if status == SenStatus.SEN:
            stage = weighted(
                rng,
                [
                    (SenStage.SEN_SUPPORT, 40),
                    (SenStage.EHC_ASSESSMENT, 20),
                    (SenStage.EHC_PLAN, 40),
                ],
            )
        primary, secondary = None, []
        if rng.random() < 0.88:
            area = weighted(rng, by_name(self.need_areas, NEED_AREAS))
            subtypes = self.subtypes[area.pk]
            # Historic sub-types (BESD) are rarely recorded for children now.
            subtypes = [n for n in subtypes if "historic" not in n.name or rng.random() < 0.1]
            primary = rng.choice(subtypes) if subtypes and rng.random() < 0.6 else area
            if rng.random() < 0.3:
                others = [a for a in self.need_areas if a.pk not in (area.pk, primary.area_id)]
                secondary = [rng.choice(others)]
        child = Child(
            service=self.service,
            first_name=self.fake.first_name(),
            last_name=last_name,
            date_of_birth=opened_on - dt.timedelta(days=age_days) if known_birth else None,
            gender=weighted(
                rng,
                [(Gender.MALE, 63), (Gender.FEMALE, 33), (Gender.OTHER, 1), (Gender.NOT_KNOWN, 3)],
            ),
            school_name=pattern.format(self._place()) if pattern else "",
            school_type=self.school_types.get(type_name),
            sen_status=status,
            sen_stage=stage,
            primary_need=primary,
            not_in_full_time_education=type_name == "Not in education" or rng.random() < 0.03,
        )
        child.demo_secondary_needs = secondary
        return child

    def _place(self) -> str:
        # Made-up English-sounding place names: Faker's en_GB towns read as parodies.
        return self.rng.choice(PLACE_STARTS) + self.rng.choice(PLACE_ENDS)

    # Cases ------------------------------------------------------------------------------
