from base64 import b32encode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import FormView, ListView, TemplateView, UpdateView, View
from django_filters.views import FilterView
from django_otp import login as otp_login
from django_otp import user_has_device
from django_tables2 import RequestConfig, SingleTableMixin

from pps import uploads
from pps.access import (
    DOCUMENT_READERS,
    RoleRequiredMixin,
    get_document_for,
    service_staff,
)
from pps.actions import save_versioned_form, verify_second_factor
from pps.audit import PersonalDataMixin, record_access
from pps.demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from pps.documents import recover_stale_builds
from pps.exports import CsvExport, export_response
from pps.forms import SecondFactorForm, ServiceSettingsForm, apply_action_errors
from pps.models import AccessLog, GeneratedDocument
from pps.queries import documents_listed_for, latest_change, service_of, staff_accounts
from pps.roles import COORDINATORS, STAFF, Role
from pps.sign_in import (
    confirm_authenticator,
    needs_second_factor,
    reset_second_factor,
    unconfirmed_authenticator,
)
from pps.versioning import EditConflict


class ActionFormMixin:
    """A form view whose valid form runs one action: `act(form)` calls it and returns the
    response that follows (a redirect, usually). An action's ValidationError is put beside
    the field it names (pps.forms.apply_action_errors) and the form is shown again, nothing
    written: the one place a view turns an action's refusal into the form's errors."""

    def form_valid(self, form):
        try:
            return self.act(form)
        except ValidationError as error:
            apply_action_errors(form, error)
            return self.form_invalid(form)

    def act(self, form):
        raise NotImplementedError


class ClearingMixin:
    """A form view of words a coordinator clears for other readers
    (pps.forms.ClearingFormMixin): only a coordinator's form has the clearing box."""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "may_clear": self.request.user.role in COORDINATORS}


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
        if user.role == Role.NETWORK_ANALYST:
            # Analysts compare services and belong to none: the network report is theirs.
            return redirect("reports:network-index")
        if user.service_id is None:
            raise PermissionDenied
        if user.role in STAFF:
            return redirect("casework:my-work")
        if user.role == Role.VOLUNTEER:
            return redirect("casework:my-allocated-cases")
        if user.role == Role.STEERING:
            return redirect("reports:dashboard")
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

    # The list's first page as a query compiled once per process, when nothing filters it
    # (pps.prepared.PreparedPages, made from the same function as get_queryset's list).
    prepared_pages = None

    @property
    def audit_action(self):
        return AccessLog.Action.EXPORT if self.export else AccessLog.Action.VIEW

    def get_table_kwargs(self):
        kwargs = super().get_table_kwargs()
        if self.prepared_pages is not None and not self.export and self._unfiltered():
            user, pages = self.request.user, self.prepared_pages
            kwargs["page_rows"] = lambda sliced: pages.rows(user, sliced)
            kwargs["row_count"] = lambda: pages.count(user)
        return kwargs

    def _unfiltered(self) -> bool:
        # No filter given any value: django-filter leaves the queryset as it is for an
        # empty value. Anything typed, even spaces, reads the page through the ORM.
        form = self.filterset.form
        return not any(
            value
            for name in form.fields
            for value in self.request.GET.getlist(form.add_prefix(name))
        )

    def audit_object_id(self):
        return None

    def get(self, request, *args, **kwargs):
        if not self.export:
            return super().get(request, *args, **kwargs)
        return export_response(self)

    def csv_export(self) -> CsvExport:
        """The export of this request's filters and sorting (pps.exports.export_response
        decides whether it is sent now or built by the background worker)."""
        filterset = self.get_filterset(self.get_filterset_class())
        valid = not filterset.is_bound or filterset.is_valid()
        queryset = filterset.qs if valid else self.get_queryset().none()
        table = self.get_table_class()(queryset)
        RequestConfig(self.request, paginate=False).configure(table)
        stamp = timezone.localdate().isoformat()
        return CsvExport(
            title=f"{self.title} (CSV)",
            filename=f"{self.export_name}-{stamp}.csv",
            rows=table.as_values,
            count=queryset.count,
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=self.title,
            add_url=self.add_url,
            add_label=self.add_label,
            export_query=self.request.GET.urlencode(),
            **kwargs,
        )


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
    form.data = form.data.copy()
    form.data[form.add_prefix("version")] = current.version
    form.add_error(
        None,
        "Someone else saved this record after you opened it. Nothing of yours has been "
        "saved yet: your changes are still in the form below. Check their values, "
        "then save again to keep yours.",
    )
    return {"conflict": differences, "conflict_by": latest_change(current)}


def _safe_next(request) -> str:
    """Where to go after the second factor: the page first asked for, if it is ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


class SecondFactorVerifyView(FormView):
    """The second step of signing in: a code from the authenticator app or a backup code."""

    template_name = "two_factor/verify.html"
    form_class = SecondFactorForm

    def dispatch(self, request, *args, **kwargs):
        if not needs_second_factor(request.user):
            return redirect(_safe_next(request))
        if not user_has_device(request.user):
            return redirect(f"{reverse('two-factor-setup')}?{request.GET.urlencode()}")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(next=_safe_next(self.request), **kwargs)

    def form_valid(self, form):
        device, waiting = verify_second_factor(
            user=self.request.user, code=form.cleaned_data["code"]
        )
        if device is not None:
            otp_login(self.request, device)
            return redirect(_safe_next(self.request))
        form.add_error(
            "code",
            "After a wrong code, wait a few seconds before trying again."
            if waiting
            else "That code is not right. Enter the code your authenticator app shows now, "
            "or one of your backup codes.",
        )
        return self.form_invalid(form)


class SecondFactorSetUpView(FormView):
    """Set up an authenticator app (QR code or typed secret), then show ten backup codes once."""

    template_name = "two_factor/set_up.html"
    form_class = SecondFactorForm

    def dispatch(self, request, *args, **kwargs):
        if user_has_device(request.user):
            # Already set up: a lost phone is a coordinator's reset, not a second set-up.
            target = "two-factor-verify" if needs_second_factor(request.user) else "home"
            return redirect(f"{reverse(target)}?{request.GET.urlencode()}")
        self.device = unconfirmed_authenticator(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        secret = b32encode(self.device.bin_key).decode()
        qr = segno.make(self.device.config_url, error="m")
        return super().get_context_data(
            next=_safe_next(self.request),
            secret_groups=[secret[i : i + 4] for i in range(0, len(secret), 4)],
            # An image from a data: URI (allowed by the CSP's img-src): nothing is marked safe.
            qr_uri=qr.svg_data_uri(scale=5, border=4),
            **kwargs,
        )

    def form_valid(self, form):
        if not self.device.verify_is_allowed()[0]:
            form.add_error("code", "After a wrong code, wait a few seconds before trying again.")
            return self.form_invalid(form)
        if not self.device.verify_token(form.cleaned_data["code"]):
            form.add_error(
                "code",
                "That code is not right. Check the app shows this service's entry and enter "
                "the code it shows now.",
            )
            return self.form_invalid(form)
        codes = confirm_authenticator(device=self.device)
        otp_login(self.request, self.device)
        return render(
            self.request,
            "two_factor/backup_codes.html",
            {"codes": codes, "next": _safe_next(self.request)},
        )


class StaffAccountsView(RoleRequiredMixin, TemplateView):
    """A coordinator's list of their service's accounts, with the two-factor reset."""

    roles = COORDINATORS
    template_name = "two_factor/staff_accounts.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(title="Accounts", accounts=staff_accounts(), **kwargs)


class ResetSecondFactorView(RoleRequiredMixin, View):
    """Delete a colleague's second factor (a lost phone); recorded in the access log."""

    roles = COORDINATORS
    http_method_names = ["post"]

    def post(self, request, pk):
        colleague = get_object_or_404(service_staff(), pk=pk)
        reset_second_factor(user=colleague)
        record_access(
            request,
            action=AccessLog.Action.RESET_SECOND_FACTOR,
            object_type="user",
            object_id=colleague.pk,
        )
        messages.success(
            request,
            f"{colleague}'s second factor has been reset: they set up a new one when they "
            "next sign in.",
        )
        return redirect("staff-accounts")


class ServiceSettingsView(VersionedUpdateView):
    """A coordinator's settings of their own service; the admin is for superusers only."""

    roles = COORDINATORS
    form_class = ServiceSettingsForm
    success_message = "Settings saved."

    def get_object(self, queryset=None):
        return service_of(self.request.user)

    def get_title(self) -> str:
        return f"Settings of {self.object}"

    def get_success_url(self):
        return reverse("service-settings")


class DocumentListView(RoleRequiredMixin, ListView):
    """The service's generated documents, newest first (pps/documents.py).

    Reading the list also notices builds whose worker died (recover_stale_builds), so a
    coordinator never watches a document stay "building" for ever. The list shows titles
    and who asked, never a document's content, so it is not an access-log read.
    """

    roles = DOCUMENT_READERS
    template_name = "pps/document_list.html"
    paginate_by = 25

    def get_queryset(self):
        recover_stale_builds()
        return documents_listed_for(self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(title="Generated documents", **kwargs)


class DocumentStatusView(RoleRequiredMixin, TemplateView):
    """One document's progress; refreshes itself (a meta refresh, no script) until done.

    A page that reloads itself moves a screen reader back to the top, so the refresh can
    be turned off (`?refresh=off`, WCAG 2.2.1): the page then offers a link to look again.
    """

    roles = DOCUMENT_READERS
    template_name = "pps/document_status.html"
    refresh_seconds = 5

    def get_context_data(self, **kwargs):
        recover_stale_builds()
        document = get_document_for(self.request, self.kwargs["pk"])
        refreshing = document.in_progress and self.request.GET.get("refresh") != "off"
        return super().get_context_data(
            document=document,
            refresh_seconds=self.refresh_seconds if refreshing else None,
            title=document.title,
            **kwargs,
        )


class UploadDownloadView(RoleRequiredMixin, PersonalDataMixin, View):
    """The only way an uploaded document leaves the server (never as public media): to
    whoever `visible_to(user)` admits, else 404, as an attachment under its own name made
    safe (pps.uploads). What a file holds is not checked, so each download is recorded in
    the access log like any read of personal data (docs/domain.md, "Audit")."""

    abstract = True
    audit_action = AccessLog.Action.EXPORT

    def visible_to(self, user):
        raise NotImplementedError

    def get(self, request, pk):
        document = self.object = get_object_or_404(self.visible_to(request.user), pk=pk)
        return uploads.attachment(document.file, document.original_name)


class DocumentDownloadView(RoleRequiredMixin, PersonalDataMixin, View):
    """A ready document, read through the storage API; recorded when it holds personal data."""

    roles = DOCUMENT_READERS
    audit_object_type = "generated-document"
    audit_action = AccessLog.Action.EXPORT

    def audit_applies(self) -> bool:
        return self.object.holds_personal_data

    def get(self, request, pk):
        document = self.object = get_document_for(request, pk)
        if document.status != GeneratedDocument.Status.READY:
            raise Http404("This document is not ready.")
        return uploads.attachment(document.file, document.filename)
