from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import UpdateView, View
from django_filters.views import FilterView
from django_tables2 import RequestConfig, SingleTableMixin

from pps.access import RoleRequiredMixin
from pps.audit import PersonalDataMixin
from pps.demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from pps.exports import csv_response
from pps.forms import ServiceSettingsForm
from pps.models import AccessLog, Service
from pps.roles import COORDINATORS, STAFF, Role
from pps.versioning import EditConflict, save_versioned


class SignInView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if settings.DEMO_MODE:
            context["demo_accounts"] = [(name, role.label) for name, role in DEMO_ACCOUNTS]
            context["demo_password"] = DEMO_PASSWORD
        return context


class HomeView(View):
    """Send each role to where its day starts."""

    def get(self, request):
        user = request.user
        if user.is_superuser and not user.service_id:
            return redirect("admin:index")
        if user.service_id is None:
            raise PermissionDenied
        if user.role in STAFF:
            return redirect("casework:my-work")
        if user.role == Role.VOLUNTEER:
            return redirect("casework:my-allocated-cases")
        if user.role == Role.STEERING:
            return redirect("reports:overview")
        raise PermissionDenied


class TableListView(RoleRequiredMixin, PersonalDataMixin, SingleTableMixin, FilterView):
    """A searchable, filterable, sortable, paginated list that also exports to CSV.

    The same view serves the CSV (`export=True` in the URLconf) so the export holds exactly
    the rows the list shows for the same filters, across all pages.
    """

    abstract = True

    template_name = "pps/table_list.html"
    # The table paginates; the list view must not as well (it would count the rows twice).
    paginate_by = None
    table_pagination = {"per_page": 25}
    export = False
    export_name: str
    title: str
    add_url: str | None = None
    add_label: str | None = None

    @property
    def audit_action(self):
        return AccessLog.Action.EXPORT if self.export else AccessLog.Action.VIEW

    def audit_object_id(self):
        return None

    def get(self, request, *args, **kwargs):
        if not self.export:
            return super().get(request, *args, **kwargs)
        filterset = self.get_filterset(self.get_filterset_class())
        valid = not filterset.is_bound or filterset.is_valid()
        queryset = filterset.qs if valid else self.get_queryset().none()
        table = self.get_table_class()(queryset)
        RequestConfig(request, paginate=False).configure(table)
        stamp = timezone.localdate().isoformat()
        return csv_response(table.as_values(), f"{self.export_name}-{stamp}.csv")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title=self.title,
            add_url=self.add_url,
            add_label=self.add_label,
            export_query=self.request.GET.urlencode(),
        )
        return context


def _describe(instance, field) -> str:
    """A field's stored value as a person reads it."""
    if field.many_to_many:
        return ", ".join(str(item) for item in getattr(instance, field.name).all()) or "none"
    if field.choices:
        return str(getattr(instance, f"get_{field.name}_display")()) or "none"
    value = getattr(instance, field.name)
    if value in (None, ""):
        return "none"
    if hasattr(value, "strftime"):
        return value.strftime("%-d %B %Y")
    return str(value)


def _same(field, stored, submitted) -> bool:
    if field.many_to_many:
        return {item.pk for item in stored.all()} == {item.pk for item in submitted or []}
    if field.is_relation:
        return getattr(stored, "pk", None) == getattr(submitted, "pk", None)
    return (stored or None) == (submitted or None)


class VersionedUpdateView(RoleRequiredMixin, UpdateView):
    """Edit a VersionedModel without ever silently overwriting someone else's save.

    On a conflict nothing is saved; the page keeps everything the user typed, lists the
    fields the other person saved differently (with their values), and takes the new
    version number so that saving again is a deliberate choice.
    """

    abstract = True

    template_name = "pps/versioned_form.html"
    success_message = "Saved."

    def get_title(self) -> str:
        return f"Edit {self.object}"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("title", self.get_title())
        kwargs.setdefault("back_url", self.get_success_url())
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        try:
            save_versioned_form(form)
        except EditConflict as conflict:
            return self.conflict(form, conflict.current)
        messages.success(self.request, self.success_message)
        return redirect(self.get_success_url())

    def conflict(self, form, current):
        return self.render_to_response(
            self.get_context_data(form=form, **conflict_context(form, current))
        )


def save_versioned_form(form) -> None:
    """Save a valid VersionedForm unless someone saved its record since it was opened
    (EditConflict, nothing saved)."""
    with transaction.atomic():
        obj = form.save(commit=False)
        save_versioned(obj, expected_version=form.cleaned_data["version"])
        form.save_m2m()


def conflict_context(form, current) -> dict:
    """After an EditConflict: the form, still holding what the user typed, takes the stored
    version (saving again is a deliberate choice) and an error; the page's context gets
    the fields the other person saved differently (pps/_conflict.html shows them)."""
    model_fields = {f.name: f for f in current._meta.get_fields() if f.concrete}
    differences = [
        (
            form.fields[name].label or model_fields[name].verbose_name,
            _describe(current, model_fields[name]),
        )
        for name in form.fields
        if name in model_fields
        and not _same(model_fields[name], getattr(current, name), form.cleaned_data.get(name))
    ]
    # Records without a history (code-list values) cannot say who saved them.
    history = getattr(current, "history", None)
    latest = history.select_related("history_user").first() if history is not None else None
    form.data = form.data.copy()
    form.data[form.add_prefix("version")] = current.version
    form.add_error(
        None,
        "Someone else saved this record after you opened it. Nothing of yours has been "
        "saved yet: your changes are still in the form below. Check their values, "
        "then save again to keep yours.",
    )
    return {"conflict": differences, "conflict_by": latest}


class SignOutView(auth_views.LogoutView):
    pass


class ServiceSettingsView(VersionedUpdateView):
    """A coordinator's settings of their own service; the admin is for superusers only."""

    roles = COORDINATORS
    form_class = ServiceSettingsForm
    success_message = "Settings saved."

    def get_object(self, queryset=None):
        return Service.objects.get(pk=self.request.user.service_id)

    def get_title(self) -> str:
        return f"Settings of {self.object}"

    def get_success_url(self):
        return reverse("service-settings")
