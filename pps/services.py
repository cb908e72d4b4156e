"""Setting up a new service: the one entry point, whoever makes the service (docs/architecture.md).

A service starts with what each app ships for it: casework its code lists, evaluations its
forms, quality its frameworks. Apps import downward only, so pps cannot call them; each
registers its step here when it is ready (apps.py), and `set_up` runs every step in the
order the apps are installed. `create_service` (the demo, the national generator, the
tests) and the admin's "add service" both come through `set_up`, inside one transaction
with the service's own row.
"""

from collections.abc import Callable, Iterable

from django.db import transaction

from pps.models import Locality, Service

_steps: list[Callable[[Service], None]] = []


def on_new_service(step: Callable[[Service], None]) -> None:
    """Run `step(service)` for every service made from now on (once per step)."""
    if step not in _steps:
        _steps.append(step)


def set_up(service: Service) -> None:
    """Give a service just made everything the apps ship for it."""
    with transaction.atomic():
        for step in _steps:
            step(service)


def create_service(
    *, name: str, local_authority: str, localities: Iterable[str] = (), reference_prefix="PPS"
) -> Service:
    """A new service with its localities and what every app ships for it."""
    with transaction.atomic():
        service = Service.objects.create(
            name=name, local_authority=local_authority, reference_prefix=reference_prefix
        )
        Locality.objects.bulk_create(
            Locality(service=service, name=locality, position=i)
            for i, locality in enumerate(localities)
        )
        set_up(service)
    return service
