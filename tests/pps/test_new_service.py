"""A new service gets what every app ships for it, however it is made (pps/services.py)."""

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from casework.models import ContactReason, NeedArea
from evaluations.models import EvaluationForm
from pps.models import Locality, Service
from quality.models import Framework
from tests import factories

pytestmark = pytest.mark.django_db


def _shipped(service):
    with scopes_disabled():
        return {
            "reasons": ContactReason.objects.filter(service=service).count(),
            "needs": NeedArea.objects.filter(service=service).count(),
            "forms": EvaluationForm.objects.filter(service=service).count(),
            "frameworks": Framework.objects.filter(service=service).count(),
        }


def test_create_service_gives_localities_code_lists_forms_and_frameworks():
    service = factories.make_service(localities=("North", "South"))
    assert list(
        Locality.objects.filter(service=service).order_by("position").values_list("name", flat=True)
    ) == ["North", "South"]
    shipped = _shipped(service)
    assert all(shipped.values()), shipped


def test_the_admin_sets_a_service_up_as_create_service_does(client):
    made = factories.make_service()
    superuser = factories.UserFactory(is_superuser=True, is_staff=True, service=None)
    client.force_login(superuser)
    add = client.get(reverse("admin:pps_service_add"))
    data = {
        name: field.value() if field.value() is not None else ""
        for name, field in (
            (n, add.context["adminform"].form[n]) for n in add.context["adminform"].form.fields
        )
    }
    data.update(name="Added in the admin PPS", local_authority="Somewhere Council")
    response = client.post(reverse("admin:pps_service_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    added = Service.objects.get(name="Added in the admin PPS")
    assert _shipped(added) == _shipped(made)
    # Editing it later sets nothing up twice.
    data["local_authority"] = "Elsewhere Council"
    client.post(reverse("admin:pps_service_change", args=[added.pk]), data)
    assert _shipped(added) == _shipped(made)
