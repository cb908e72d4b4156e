"""Cases: the list, opening one from a search, the case page and what is done from it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import FormView, TemplateView

from casework import actions, queries
from casework.access import (
    DOCUMENT_UPLOADERS,
    cases_visible_to,
    children_visible_to,
    get_case_for,
    parents_visible_to,
)
from casework.filters import CaseFilter
from casework.forms import (
    AllocateForm,
    CaseForm,
    CaseOpenForm,
    CaseSearchForm,
    CloseCaseForm,
    ContactForm,
    DateForm,
    FamilyContactForm,
    NewChildForm,
    NewParentForm,
    OpeningConsentForm,
    enquirer_details,
)
from casework.tables import CaseTable
from pps.access import RoleRequiredMixin, may_open
from pps.audit import PersonalDataMixin
from pps.forms import DocumentForm, apply_action_errors, filter_options, plain_number
from pps.navigation import redirect_back
from pps.prepared import PreparedPages
from pps.roles import CASEWORK, COORDINATORS, STAFF
from pps.views import ActionFormMixin, TableListView, VersionedUpdateView


def _pk(value: str) -> int:
    """A record id from the query string; anything else is a page that does not exist."""
    number = plain_number(value)
    if number is None:
        raise Http404
    return number


def _open_case_named_in(error: ValidationError):
    """The open case an "already has an open case" refusal names, for a link to it."""
    for item in getattr(error, "error_list", []):
        if item.code == "open_case_exists":
            return item.params["case"]
    return None


class CasePageMixin(RoleRequiredMixin, PersonalDataMixin):
    """A page about the case of the URL's pk, recorded as a read of that case."""

    abstract = True
    audit_object_type = "case"

    @cached_property
    def case(self):
        # Looked up on first use, after the role check: a role that may never open the
        # page is told so (403), whatever the case.
        return get_case_for(self.request, self.kwargs["pk"])

    def audit_object_id(self):
        return self.case.pk


class CaseListView(TableListView):
    roles = STAFF
    table_class = CaseTable
    filterset_class = CaseFilter
    title = "Cases"
    add_url = reverse_lazy("casework:case-start")
    add_label = "Open a case"
    export_name = "cases"
    audit_object_type = "case-list"
    prepared_pages = PreparedPages(queries.case_list_page)

    def get_queryset(self):
        if self.export:
            return queries.case_list(self.request.user)
        return queries.case_list_page(self.request.user)

    def get_table_kwargs(self):
        # The page's officers and localities, named from what the filter offers (the
        # export builds its table itself, from case_list).
        form = self.filterset.form
        return {
            **super().get_table_kwargs(),
            "names": lambda: (filter_options(form, "officer"), filter_options(form, "locality")),
        }


def _enquiry_to_convert(request):
    """The enquiry named in ?enquiry=, as far as the user may see it (else 404)."""
    return get_object_or_404(
        queries.enquiries_with_case(request.user),
        pk=_pk(request.GET["enquiry"]),
    )


def _already_converted(request, enquiry):
    """Back to the enquiry, which links to its case: an enquiry becomes one case only."""
    messages.info(
        request, f"This enquiry has already been converted to case {enquiry.case.reference}."
    )
    return redirect("casework:enquiry-detail", pk=enquiry.pk)


class CaseStartView(RoleRequiredMixin, PersonalDataMixin, TemplateView):
    """Opening a case starts from a search, so that a family is not entered twice.

    From an enquiry, the search starts with the enquirer's name, so that a parent the
    service already knows shows at once.
    """

    roles = STAFF
    template_name = "casework/case_start.html"
    audit_object_type = "case-search"

    def get(self, request, *args, **kwargs):
        self.enquiry = None
        if "enquiry" in request.GET:
            self.enquiry = _enquiry_to_convert(request)
            if self.enquiry.case_id:
                return _already_converted(request, self.enquiry)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        data = self.request.GET or None
        if self.enquiry is not None and "q" not in self.request.GET:
            data = {"q": enquirer_details(self.enquiry).search}
        form = CaseSearchForm(data)
        parents = children = None
        if form.is_valid() and form.cleaned_data["q"].strip():
            parents, children = queries.families_found(self.request.user, form.cleaned_data["q"])
        return super().get_context_data(
            form=form, parents=parents, children=children, enquiry=self.enquiry, **kwargs
        )


class CaseCreateView(RoleRequiredMixin, PersonalDataMixin, TemplateView):
    """The details of a new case: existing or new parent, existing or new child."""

    roles = STAFF
    template_name = "casework/case_create.html"
    audit_object_type = "case-create"

    def audit_object(self):
        # The page shows the existing parent (and child) the case is opened for.
        for object_type, record in (
            ("parent", self.parent),
            ("child", self.child),
            ("enquiry", self.enquiry),
        ):
            if record is not None:
                return object_type, record.pk
        return self.audit_object_type, None

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.parent = self.child = self.enquiry = None

    def _load(self):
        params = self.request.GET
        user = self.request.user
        if params.get("parent"):
            self.parent = get_object_or_404(parents_visible_to(user), pk=_pk(params["parent"]))
        if params.get("child"):
            self.child = get_object_or_404(children_visible_to(user), pk=_pk(params["child"]))
        if params.get("enquiry"):
            self.enquiry = _enquiry_to_convert(self.request)

    def forms(self, data=None):
        forms = {
            "case_form": CaseOpenForm(
                data,
                prefix="case",
                enquiry=self.enquiry,
                initial={
                    "officer": self.request.user.pk,
                    "primary_reason": getattr(self.enquiry, "topic_id", None),
                    # The family's locality; for a new parent, open_case takes the one given.
                    "locality": getattr(self.parent, "locality_id", None),
                },
            ),
            "consent_form": OpeningConsentForm(data, prefix="consent", parent=self.parent),
        }
        if self.parent is None:
            initial = enquirer_details(self.enquiry).initial()
            forms["parent_form"] = NewParentForm(data, prefix="parent", initial=initial)
        if self.child is None:
            initial = {"last_name": self.parent.last_name} if self.parent else {}
            forms["child_form"] = NewChildForm(data, prefix="child", initial=initial)
        return forms

    def get(self, request, *args, **kwargs):
        self._load()
        if self.enquiry is not None and self.enquiry.case_id:
            return _already_converted(request, self.enquiry)
        return self.render_to_response(self.get_context_data(**self.forms()))

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            parent=self.parent,
            child=self.child,
            enquiry=self.enquiry,
            # Beside an existing parent's details, for the officer to compare: the opening
            # changes nothing on the parent's record but consent.
            from_enquiry=enquirer_details(self.enquiry) if self.enquiry else None,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        self._load()
        forms = self.forms(request.POST)
        if not all(form.is_valid() for form in forms.values()):
            return self.render_to_response(self.get_context_data(**forms))
        case_form, consent_form = forms["case_form"], forms["consent_form"]
        fields = dict(case_form.cleaned_data)
        secondary = fields.pop("secondary_reasons")
        officer = fields.pop("officer")
        received_on = fields.pop("received_on", None)
        try:
            case = actions.open_case_for_family(
                service=request.user.service,
                by=request.user,
                # A new parent's or child's form holds the record it made, not saved yet.
                parent=self.parent or forms["parent_form"].instance,
                child=self.child or forms["child_form"].instance,
                officer=officer,
                received_on=received_on or timezone.localdate(),
                enquiry=self.enquiry,
                secondary_reasons=secondary,
                **consent_form.changes(),
                **fields,
            )
        except ValidationError as error:
            _apply_opening_errors(error, case_form, consent_form)
            return self.render_to_response(
                self.get_context_data(existing_case=_open_case_named_in(error), **forms)
            )
        messages.success(request, f"Case {case.reference} opened.")
        return redirect("casework:case-detail", pk=case.pk)


def _apply_opening_errors(error: ValidationError, case_form, consent_form) -> None:
    """open_case's refusal beside its field: consent in the consent part, the rest on the case."""
    if hasattr(error, "error_dict") and set(error.error_dict) & set(consent_form.fields):
        for field, texts in error.message_dict.items():
            form = consent_form if field in consent_form.fields else case_form
            apply_action_errors(form, ValidationError({field: texts}))
        return
    apply_action_errors(case_form, error)


class CaseDetailView(CasePageMixin, TemplateView):
    roles = CASEWORK
    template_name = "casework/case_detail.html"

    @cached_property
    def case(self):
        # With what the page shows: totals and code-list names in the same query.
        return queries.case_for_page(self.request.user, self.kwargs["pk"])

    def _timeline_page(self) -> int:
        # The timeline's pages are links (no JavaScript): ?page=2 is the next older one.
        return _pk(self.request.GET["page"]) if self.request.GET.get("page") else 1

    def get_context_data(self, **kwargs):
        case = self.case
        user = self.request.user
        particulars = queries.case_particulars(case, user)
        timeline = queries.case_timeline(
            case, self._timeline_page(), documents=particulars.documents, user=user
        )
        if timeline is None:
            raise Http404
        other_cases = queries.family_cases(user, case)
        return super().get_context_data(
            case=case,
            timeline=timeline,
            contact_form=kwargs.pop("contact_form", None) or _contact_form(other_cases, case),
            # Its short lists, each under its own name (allocations, documents...).
            **vars(particulars),
            may_add_documents=may_open(user, DOCUMENT_UPLOADERS),
            document_form=kwargs.pop("document_form", None) or DocumentForm(),
            other_cases=other_cases,
            is_staff=may_open(user, STAFF),
            is_coordinator=may_open(user, COORDINATORS),
            total_minutes=case.minutes_logged,
            timeline_page_size=queries.TIMELINE_CONTACTS,
            **kwargs,
        )


def _contact_form(family_cases, case, data=None):
    """The contact form; with the parent's other open cases to offer, the one that can log
    the contact on them too."""
    family_open = queries.family_open_cases(family_cases, case)
    if family_open:
        return FamilyContactForm(data, family_cases=family_open)
    return ContactForm(data)


class PageFormMixin(ActionFormMixin):
    """A form of a record's page posted to a view of its own: a GET shows the page at the
    form, and a refused form the page again with its errors in place."""

    part: str  # the page's form is `<part>_form`; `focus_<part>` takes the page to it

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(**{f"focus_{self.part}": True}))

    def post(self, request, *args, **kwargs):
        form = self.posted_form()
        return self.form_valid(form) if form.is_valid() else self.form_invalid(form)

    def form_invalid(self, form):
        context = self.get_context_data(**{f"{self.part}_form": form, f"focus_{self.part}": True})
        return self.render_to_response(context, status=400)


class LogContactView(PageFormMixin, CaseDetailView):
    """Log a contact from the case page; with errors, the case page shows them in place."""

    part = "contact"

    def posted_form(self):
        family = queries.family_cases(self.request.user, self.case)
        return _contact_form(family, self.case, self.request.POST)

    def act(self, form):
        logged = actions.log_contact_on_cases(
            case=self.case, by=self.request.user, **form.cleaned_data
        )
        messages.success(
            self.request,
            "Contact logged."
            if len(logged) == 1
            else f"Contact logged on {len(logged)} cases of this family.",
        )
        return redirect("casework:case-detail", pk=self.case.pk)


class CaseEditView(PersonalDataMixin, VersionedUpdateView):
    roles = STAFF
    form_class = CaseForm
    audit_object_type = "case"

    def get_queryset(self):
        return cases_visible_to(self.request.user)

    def get_success_url(self):
        return reverse("casework:case-detail", args=[self.object.pk])

    def get_title(self):
        return f"Edit case {self.object.reference}"


class CaseActionView(ActionFormMixin, CasePageMixin, FormView):
    """A small form on its own page that runs one action on a case (close, re-open...)."""

    roles = STAFF
    template_name = "casework/case_action.html"
    title: str
    success_message: str

    def get_context_data(self, **kwargs):
        return super().get_context_data(case=self.case, title=self.title, **kwargs)

    def act(self, form):
        self.run(form.cleaned_data)
        messages.success(self.request, self.success_message)
        return redirect("casework:case-detail", pk=self.case.pk)


class CloseCaseView(CaseActionView):
    form_class = CloseCaseForm
    title = "Close the case"
    success_message = "Case closed."

    def run(self, data):
        actions.close_case(case=self.case, by=self.request.user, **data)


class ReopenCaseView(CaseActionView):
    form_class = DateForm
    title = "Re-open the case"
    success_message = "Case re-opened: it keeps its reference."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "label": "Re-opened on"}

    def run(self, data):
        actions.reopen_case(case=self.case, by=self.request.user, **data)


class AllocateVolunteerView(CaseActionView):
    form_class = AllocateForm
    title = "Allocate an IPS volunteer"
    success_message = "Volunteer allocated: they can now see this case."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "case": self.case}

    def run(self, data):
        actions.allocate_volunteer(case=self.case, by=self.request.user, **data)


class EndAllocationView(CaseActionView):
    form_class = DateForm
    title = "End the volunteer's allocation"
    success_message = "Allocation ended: the volunteer no longer sees this case."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "label": "Ends on"}

    @cached_property
    def allocation(self):
        return get_object_or_404(queries.case_allocations(self.case), pk=self.kwargs["allocation"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(allocation=self.allocation, **kwargs)

    def run(self, data):
        actions.end_allocation(allocation=self.allocation, on=data["on"])


class FollowUpDoneView(ActionFormMixin, RoleRequiredMixin, PersonalDataMixin, FormView):
    roles = CASEWORK
    form_class = DateForm
    template_name = "casework/case_action.html"
    # The page shows the case and the follow-up written on its contact.
    audit_object_type = "case"

    def audit_object_id(self):
        return self.contact.case_id

    @cached_property
    def contact(self):
        return get_object_or_404(
            queries.contacts_with_case(self.request.user), pk=self.kwargs["pk"]
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "label": "Done on"}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            case=self.contact.case, title=f"Follow-up done: {self.contact.follow_up}", **kwargs
        )

    def act(self, form):
        actions.complete_follow_up(contact=self.contact, on=form.cleaned_data["on"])
        messages.success(self.request, "Follow-up marked as done.")
        return redirect_back(
            self.request, self.request.POST.get("next", ""), reverse("casework:my-work")
        )


class CaseAuditView(CasePageMixin, TemplateView):
    """Who viewed and who changed a case, its parent and its child (docs/domain.md, "Audit")."""

    roles = COORDINATORS
    template_name = "casework/case_audit.html"
    # The changes it lists hold the old and new values of personal fields.
    audit_object_type = "case-audit"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            case=self.case,
            views=queries.case_reads(self.case),
            changes=queries.case_changes(self.case),
            **kwargs,
        )
