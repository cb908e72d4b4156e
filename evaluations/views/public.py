"""The page a parent or professional answers a form on: no account, one time only.

It names the service and the form and nothing else: not the case, not the child, not who
sent it. Every way a link can be unusable (unknown, mistyped, another service's, expired,
already answered) gets the same page and status, so a guess learns nothing; and guesses are
rate-limited (evaluations/throttle.py). A usable link is always answered, even from an
address that is over the limit: the limit only stops links that cannot be used.
"""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View

from evaluations import throttle
from evaluations.actions import record_response
from evaluations.enums import ResponseSource
from evaluations.forms import AnswersForm
from evaluations.queries import sending_for_link
from pps.access import service_scope
from pps.forms import apply_action_errors


def _private(response):
    # The link is a key: keep the page out of caches, other sites' referrers and search
    # engines. "same-origin", not "no-referrer": with no referrer at all the browser sends
    # "Origin: null" with the form, which CSRF protection rightly refuses.
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@method_decorator(login_not_required, name="dispatch")
class AnswerView(View):
    template_name = "evaluations/answer.html"

    def dispatch(self, request, service, token):
        sending = sending_for_link(service, token, timezone.localdate())
        if sending is None:
            if throttle.is_blocked(request):
                return _private(render(request, "evaluations/answer_blocked.html", status=429))
            throttle.count_failure(request)
            return _private(render(request, "evaluations/answer_unavailable.html", status=404))
        with service_scope(sending.service_id):
            return _private(super().dispatch(request, sending))

    def _page(self, request, sending, form, status=200):
        context = {"sending": sending, "service": sending.service, "form": form}
        return render(request, self.template_name, context, status=status)

    def get(self, request, sending):
        questions = sending.version.questions.all()
        return self._page(request, sending, AnswersForm(questions=questions))

    def post(self, request, sending):
        form = AnswersForm(request.POST, questions=sending.version.questions.all())
        if form.is_valid():
            try:
                record_response(
                    sending=sending, answers=form.answers(), source=ResponseSource.ONLINE
                )
            except ValidationError as error:
                apply_action_errors(form, error)
            else:
                return redirect("evaluations:answered")
        return self._page(request, sending, form, status=400)


@login_not_required
def answered(request):
    return _private(render(request, "evaluations/answered.html"))
