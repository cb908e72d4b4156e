"""A coordinator edits the code lists of their service (docs/domain.md, "Records")."""

from django.contrib import messages
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import FormView, TemplateView

from casework import actions, queries
from casework.forms import code_list_form
from casework.models import ContactReason, NeedArea, ReferralRoute, SchoolType
from pps.access import RoleRequiredMixin
from pps.actions import save_versioned_form
from pps.models import Locality
from pps.roles import COORDINATORS
from pps.versioning import EditConflict
from pps.views import ActionFormMixin, conflict_context

CODE_LISTS = {
    "localities": ("Localities", Locality),
    "referral-routes": ("Referral routes", ReferralRoute),
    "reasons": ("Reasons for contact", ContactReason),
    "need-areas": ("Areas of need", NeedArea),
    "school-types": ("School types", SchoolType),
}


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


class CodeListView(ActionFormMixin, CodeListMixin, FormView):
    """The values of one list, with a form to add another."""

    template_name = "casework/codelist.html"
    prefix = "new"

    def get_form_class(self):
        return code_list_form(self.model)

    def get_context_data(self, **kwargs):
        kwargs.update(
            items=queries.code_list_values(self.model), kind=self.kind, list_title=self.list_title
        )
        return super().get_context_data(**kwargs)

    def act(self, form):
        value = actions.add_code_list_value(
            by=self.request.user, model=self.model, **form.cleaned_data
        )
        messages.success(self.request, f"Added “{value.name}”.")
        return redirect("casework:codelist", kind=self.kind)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class CodeListItemEditView(CodeListMixin, TemplateView):
    template_name = "casework/codelist_item.html"

    def get_item(self):
        return get_object_or_404(queries.code_list_values(self.model), pk=self.kwargs["pk"])

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
                form.add_error("name", actions.ALREADY_THERE)
                return self.render_to_response(self.get_context_data(form=form), status=400)
            except EditConflict as conflict:
                context = self.get_context_data(
                    form=form, **conflict_context(form, conflict.current)
                )
                return self.render_to_response(context, status=409)
            messages.success(request, "Saved.")
            return redirect("casework:codelist", kind=self.kind)
        return self.render_to_response(self.get_context_data(form=form), status=400)
