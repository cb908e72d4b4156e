from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from pps.models import AccessLog, Locality, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "first_name", "last_name", "service", "role", "is_active")
    list_filter = ("service", "role", "is_active", "is_superuser")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("Service", {"fields": ("service", "role", "localities", "fte")}),
    )


@admin.register(Locality)
class LocalityAdmin(admin.ModelAdmin):
    list_display = ("name", "service", "active")
    list_filter = ("service",)


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Read-only: the access log is evidence and is never edited."""

    list_display = ("at", "user", "service", "action", "object_type", "object_id")
    list_filter = ("service", "action", "object_type")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
