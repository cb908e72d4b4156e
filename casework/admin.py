"""The Django admin, for superusers only (pps/urls.py): setting up services and accounts.

Services are created through the create_service action so that they get their code lists.
Personal records are not edited here: staff use the product's pages, which audit reads.
"""

from django.contrib import admin
from django.db import transaction

from pps.models import Service
from pps.services import set_up


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ("name", "local_authority", "response_standard_days")

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if not change:
                set_up(obj)
