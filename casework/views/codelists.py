"""A coordinator edits the code lists of their service (docs/domain.md, "Records")."""

from django import forms
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import TemplateView

from casework.models import ContactReason, NeedArea, ReferralRoute, SchoolType
from pps.access import RoleRequiredMixin
from pps.forms import VersionedForm
from pps.models import Locality
from pps.roles import COORDINATORS
from pps.versioning import EditConflict
from pps.views import conflict_context, save_versioned_form

CODE_LISTS = {
    "localities": ("Localities", Locality),
    "referral-routes": ("Referral routes", ReferralRoute),
    "reasons": ("Reasons for contact", ContactReason),
    "need-areas": ("Areas of need", NeedArea),
    "school-types": ("School types", SchoolType),
}


ALREADY_THERE = "This list already has that value."


class CodeListItemForm(VersionedForm):
    class Meta(VersionedForm.Meta):
        fields = ["name", "position", "active", "is_not_known"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "area" in self.fields:
            self.fields["area"].queryset = NeedArea.objects.filter(area__isnull=True)
            self.fields["area"].help_text = "Leave empty for a top-level area."
            self.fields["area"].label = "Sub-type of"

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        model = self._meta.model
        same = model.objects.filter(name__iexact=name).exclude(pk=self.instance.pk)
        if model is NeedArea:
            same = same.filter(area=self.data.get(self.add_prefix("area")) or None)
        if same.exists():
            raise forms.ValidationError(ALREADY_THERE)
        return name


def code_list_form(model):
    fields = ["name", "position", "active", "is_not_known"]
    if model is NeedArea:
        fields.insert(1, "area")
    return forms.modelform_factory(model, form=CodeListItemForm, fields=fields)


class CodeListMixin(RoleRequiredMixin):
    roles = COORDINATORS

    def dispatch(self, request, *args, **kwargs):
        if kwargs["kind"] not in CODE_LISTS:
            raise Http404
        self.kind = kwargs["kind"]
        self.list_title, self.model = CODE_LISTS[self.kind]
        return super().dispatch(request, *args, **kwargs)


class CodeListIndexView(RoleRequiredMixin, TemplateView):
    roles = COORDINATORS
    template_name = "casework/codelist_index.html"

    def get_context_data(self, **kwargs):
        lists = [(kind, title) for kind, (title, _) in CODE_LISTS.items()]
        return super().get_context_data(lists=lists, **kwargs)


class CodeListView(CodeListMixin, TemplateView):
    """The values of one list, with a form to add another."""

    template_name = "casework/codelist.html"

    def get_context_data(self, **kwargs):
        items = self.model.objects.all()
        if self.model is NeedArea:
            items = items.select_related("area").order_by("area__position", "position", "name")
        kwargs.setdefault("form", code_list_form(self.model)(prefix="new"))
        kwargs.update(items=items, kind=self.kind, list_title=self.list_title)
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        form = code_list_form(self.model)(
            request.POST, prefix="new", instance=self.model(service=request.user.service)
        )
        if form.is_valid():
            try:
                with transaction.atomic():
                    form.save()
            except IntegrityError:
                # A double submit: the list's unique-name constraint let the first one in.
                form.add_error("name", ALREADY_THERE)
            else:
                messages.success(request, f"Added “{form.instance.name}”.")
                return redirect("casework:codelist", kind=self.kind)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class CodeListItemEditView(CodeListMixin, TemplateView):
    template_name = "casework/codelist_item.html"

    def get_item(self):
        return get_object_or_404(self.model.objects.all(), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        item = self.get_item()
        kwargs.setdefault("form", code_list_form(self.model)(instance=item))
        kwargs.update(item=item, kind=self.kind, list_title=self.list_title)
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        form = code_list_form(self.model)(request.POST, instance=self.get_item())
        if form.is_valid():
            try:
                save_versioned_form(form)
            except IntegrityError:
                # Renamed to a value someone added meanwhile (the unique-name constraint).
                form.add_error("name", ALREADY_THERE)
                return self.render_to_response(self.get_context_data(form=form), status=400)
            except EditConflict as conflict:
                context = self.get_context_data(
                    form=form, **conflict_context(form, conflict.current)
                )
                return self.render_to_response(context, status=409)
            messages.success(request, "Saved.")
            return redirect("casework:codelist", kind=self.kind)
        return self.render_to_response(self.get_context_data(form=form), status=400)
