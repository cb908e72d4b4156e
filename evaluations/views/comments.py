"""Comments from returned forms: the coordinator chooses which may be published."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views import View
from django.views.generic import ListView

from evaluations import actions
from evaluations.access import answers_visible_to
from evaluations.queries import comments_listed
from pps.access import RoleRequiredMixin
from pps.audit import PersonalDataMixin
from pps.navigation import redirect_back
from pps.roles import COORDINATORS


class CommentListView(RoleRequiredMixin, PersonalDataMixin, ListView):
    roles = COORDINATORS
    template_name = "evaluations/comments.html"
    context_object_name = "comments"
    paginate_by = 50
    audit_object_type = "evaluation-comments"

    def audit_object_id(self):
        return None

    def get_queryset(self):
        return comments_listed(
            self.request.user, unpublished_only=self.request.GET.get("show") == "unpublished"
        )


class PublishCommentView(RoleRequiredMixin, View):
    roles = COORDINATORS

    def post(self, request, pk):
        answer = get_object_or_404(answers_visible_to(request.user), pk=pk)
        publishable = request.POST.get("publishable") == "yes"
        try:
            actions.set_comment_publishable(answer=answer, publishable=publishable, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, "Cleared for publishing." if publishable else "No longer published."
            )
        return redirect_back(request, request.POST.get("back", ""), reverse("evaluations:comments"))
