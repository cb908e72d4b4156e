"""Fake records (Faker, en_GB) made through the same actions the product uses."""

import datetime as dt
import time

import factory
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from faker import Faker

from casework import actions
from casework.enums import ContactMethod, EnquirerType
from casework.models import Child, Parent
from pps.models import User
from pps.roles import Role
from pps.services import create_service
from pps.sign_in import LAST_ACTIVITY_KEY
from volunteers.actions import create_volunteer
from volunteers.models import VolunteerRole, VolunteerStatus

fake = Faker("en_GB")
PASSWORD = "correct-horse-battery-staple"


def make_service(name=None, localities=("North", "South", "Fenland")):
    return create_service(
        name=name or f"{fake.city()} PPS {fake.unique.random_int(1, 99999)}",
        local_authority=f"{fake.city()} Council",
        localities=localities,
    )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.LazyFunction(fake.first_name)
    last_name = factory.LazyFunction(fake.last_name)
    role = Role.CASE_OFFICER
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def authenticator(user) -> TOTPDevice:
    """The user's confirmed authenticator app (made on first use), as set-up leaves it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app")


def current_code(device: TOTPDevice, drift: int = 0) -> str:
    """The code the user's authenticator app shows now (`drift` steps of 30 s ahead)."""
    code = totp(device.bin_key, step=device.step, digits=device.digits, drift=drift)
    return f"{code:0{device.digits}d}"


def unused_code(user) -> str:
    """A code the user's authenticator accepts now, for signing in through the real form.

    A code is refused once used (no replay), so a second sign-in within the same 30
    seconds uses the next step's code, as a phone whose clock is a little ahead would;
    django-otp accepts one step either side.
    """
    device = authenticator(user)
    now = int(time.time() - device.t0) // device.step
    return current_code(device, drift=max(0, device.last_t + 1 - now))


class VerifiedClient(Client):
    """The test client whose force_login signs in as a person does: password and a code.

    The session is marked as having entered a code from the user's real, confirmed
    authenticator, exactly as pps.views.SecondFactorVerifyView leaves it. conftest.py makes
    this the `client` fixture; tests of the second factor itself use a plain Client.
    """

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = authenticator(user).persistent_id
        # As the request that entered the code leaves it (pps.middleware.IdleTimeoutMiddleware).
        session[LAST_ACTIVITY_KEY] = int(time.time())
        session.save()


class ParentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Parent

    first_name = factory.LazyFunction(fake.first_name)
    last_name = factory.LazyFunction(fake.last_name)
    phone = factory.LazyFunction(fake.phone_number)
    postcode = factory.LazyFunction(fake.postcode)


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child

    first_name = factory.LazyFunction(fake.first_name)
    last_name = factory.LazyFunction(fake.last_name)
    date_of_birth = factory.LazyFunction(lambda: fake.date_of_birth(minimum_age=3, maximum_age=17))


def make_volunteer(
    service, user=None, status=VolunteerStatus.ACTIVE, since=None, role=VolunteerRole.IPS, **fields
):
    """A volunteer on the register through the action, with their status dated `since`."""
    return create_volunteer(
        service=service,
        by=None,
        status=status,
        since=since or dt.date(2020, 1, 6),
        user=user,
        first_name=fake.first_name(),
        last_name=fake.last_name(),
        role=role,
        **fields,
    )


def open_case(service, by, *, opened_on=None, officer=None, parent=None, child=None, **fields):
    """A case opened through the action, with a new parent and child unless given."""
    opened_on = opened_on or timezone.localdate()
    parent = parent or ParentFactory(service=service)
    child = child or ChildFactory(service=service, last_name=parent.last_name)
    return actions.open_case(
        service=service,
        by=by,
        parent=parent,
        child=child,
        officer=officer or by,
        received_on=fields.pop("received_on", opened_on),
        opened_on=opened_on,
        **fields,
    )


def _during(day, time) -> dt.datetime:
    """`time` on `day` (default today); today before that time, now, so that tests run in
    the small hours never log work in the future."""
    at = timezone.make_aware(dt.datetime.combine(day or timezone.localdate(), time))
    return min(at, timezone.now())


def log_contact(case, by, *, on=None, minutes=20, method=ContactMethod.PHONE_OUT, **fields):
    at = _during(on, dt.time(10, 0))
    return actions.log_contact(
        case=case,
        by=by,
        at=at,
        method=method,
        minutes=minutes,
        note=fields.pop("note", fake.sentence()),
        **fields,
    )


def add_document(
    by, *, case=None, parent=None, title="Letter from school", name="letter.txt", content=None
):
    """A document kept on `case` (with its parent) or, given only `parent`, on the parent."""
    return actions.add_document(
        parent=parent or case.parent,
        case=case,
        title=title,
        file=ContentFile(content or b"Dear parent, about the review meeting.\n", name=name),
        by=by,
    )


def record_enquiry(service, by, *, on=None, **fields):
    at = _during(on, dt.time(9, 30))
    fields.setdefault("enquirer_type", EnquirerType.PARENT)
    fields.setdefault("enquirer_name", fake.name())
    return actions.record_enquiry(service=service, by=by, received_at=at, **fields)


def send_form(service, by, kind="parent", *, channel="letter", on=None, **fields):
    """A form of `kind` sent through the action; returns the sending and its link's token."""
    from evaluations import actions as evaluation_actions
    from evaluations.models import EvaluationForm

    form = EvaluationForm.objects.filter(service=service, kind=kind).order_by("id").first()
    fields.setdefault("recipient_kind", "professional" if kind == "professional" else "parent")
    fields.setdefault("name", fake.name())
    return evaluation_actions.send_form(form=form, by=by, channel=channel, on=on, **fields)


def make_event(service, by, *, on=None, **fields):
    from evaluations.models import Event

    fields.setdefault("kind", "forum")
    fields.setdefault("title", "Parents' forum")
    return Event.objects.create(
        service=service, recorded_by=by, on=on or timezone.localdate(), **fields
    )
