"""The public answer page: one-time, unguessable, rate-limited, and silent about the case."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluations import links, throttle
from evaluations.models import Answer, Response, Sending
from tests import factories
from tests.markup import hides, shows
from tests.shared_cache import redis_url

pytestmark = pytest.mark.django_db

UNAVAILABLE = "This link cannot be used"


def _url(service, token):
    return reverse("evaluations:answer", args=[service.pk, links.grouped(token)])


def _answers(sending, **by_key):
    questions = {q.key: q for q in sending.version.questions.all()}
    return {f"q{questions[key].pk}": value for key, value in by_key.items()}


@pytest.fixture
def sent(team):
    case = factories.open_case(team.service, team.officer)
    sending, token = factories.send_form(
        team.service, team.officer, case=case, name=str(case.parent)
    )
    return case, sending, token


def test_a_parent_answers_once_and_the_page_says_nothing_of_the_case(client, team, sent):
    case, sending, token = sent
    page = client.get(_url(team.service, token))
    assert page.status_code == 200
    body = page.content.decode()
    assert shows(body, team.service.name)
    assert "Parent evaluation" in body
    for private in (case.reference, case.parent.last_name, case.child.first_name):
        assert hides(body, private)
    assert page["Cache-Control"] == "no-store"
    assert page["Referrer-Policy"] == "same-origin"

    answered = client.post(
        _url(team.service, token),
        _answers(sending, helpfulness="Excellent", impartial="Yes", comments="Thank you"),
    )
    assert answered.status_code == 302
    assert answered["Location"] == reverse("evaluations:answered")
    response = Response.objects.get(sending=sending)
    assert response.source == "online"
    assert sorted(Answer.objects.filter(response=response).values_list("value", flat=True)) == [
        "Excellent",
        "Thank you",
        "Yes",
    ]

    # The link is spent: the same page as any unusable link, and nothing more is recorded.
    again = client.post(_url(team.service, token), _answers(sending, helpfulness="Good"))
    assert again.status_code == 404
    assert UNAVAILABLE in again.content.decode()
    assert client.get(_url(team.service, token)).status_code == 404
    assert Response.objects.filter(sending=sending).count() == 1
    assert Answer.objects.filter(response__sending=sending).count() == 3


def test_a_required_question_left_out_is_said_beside_it_and_nothing_is_saved(client, team, sent):
    _case, sending, token = sent
    page = client.post(_url(team.service, token), _answers(sending, impartial="Yes"))
    assert page.status_code == 400
    body = page.content.decode()
    assert "Please answer this question." in body
    assert 'aria-describedby="id_q' in body
    assert Response.objects.count() == 0


def test_an_answer_not_offered_is_refused(client, team, sent):
    _case, sending, token = sent
    page = client.post(_url(team.service, token), _answers(sending, helpfulness="Superb"))
    assert page.status_code == 400
    assert Response.objects.count() == 0


def test_the_token_may_be_typed_without_dashes_or_in_capitals(client, team, sent):
    _case, _sending, token = sent
    url = reverse("evaluations:answer", args=[team.service.pk, token.upper()])
    assert client.get(url).status_code == 200


def test_unusable_links_all_look_the_same(client, team, other_team, sent):
    _case, _sending, token = sent
    tampered = ("b" if token[0] != "b" else "c") + token[1:]
    _other_sending, other_token = factories.send_form(other_team.service, other_team.officer)
    expired_sending, expired_token = factories.send_form(team.service, team.officer)
    Sending.objects.filter(pk=expired_sending.pk).update(
        expires_on=timezone.localdate() - dt.timedelta(days=1)
    )
    bodies = set()
    for url in (
        _url(team.service, tampered),
        # Another service's token, given with this service: refused.
        _url(team.service, other_token),
        _url(team.service, expired_token),
        reverse("evaluations:answer", args=[team.service.pk, "not-a-token"]),
        reverse("evaluations:answer", args=[999999, links.grouped(token)]),
        # A service number too large for the database is no server error either.
        reverse("evaluations:answer", args=[10**20, links.grouped(token)]),
    ):
        page = client.get(url)
        assert page.status_code == 404, url
        body = page.content.decode()
        assert UNAVAILABLE in body
        assert hides(body, team.service.name)
        bodies.add(body)
    assert len(bodies) == 1
    # The other service's link still works with its own service.
    assert client.get(_url(other_team.service, other_token)).status_code == 200
    assert Response.objects.count() == 0


def test_an_expired_link_cannot_be_answered_even_by_post(client, team, sent):
    _case, sending, token = sent
    Sending.objects.filter(pk=sending.pk).update(expires_on=timezone.localdate() - dt.timedelta(1))
    page = client.post(_url(team.service, token), _answers(sending, helpfulness="Good"))
    assert page.status_code == 404
    assert Response.objects.count() == 0


def _guess(client, service, **extra):
    return client.get(_url(service, links.new_token()), **extra)


def test_a_flood_of_guesses_is_stopped_but_a_good_link_from_the_same_address_works(
    client, team, sent
):
    _case, _sending, token = sent
    for _ in range(throttle.LIMIT):
        assert _guess(client, team.service).status_code == 404
    # Parents on one connection (a school, a library) share an address: someone else's
    # mistyped letters never keep a parent out of a good link.
    good = client.get(_url(team.service, token))
    assert good.status_code == 200
    assert "Parent evaluation" in good.content.decode()
    # The next guess is refused without saying whether it was close.
    blocked = _guess(client, team.service)
    assert blocked.status_code == 429
    assert "too many attempts" in blocked.content.decode()
    assert hides(blocked.content.decode(), team.service.name)
    # A link in the right shape that is spent or unknown is a guess too.
    assert client.get(_url(team.service, "abcd" * 4)).status_code == 429
    # Another address is not held up by this one's guesses.
    assert _guess(client, team.service, REMOTE_ADDR="192.0.2.7").status_code == 404


def test_a_blocked_address_can_still_answer_its_form(client, team, sent):
    _case, sending, token = sent
    for _ in range(throttle.LIMIT + 1):
        _guess(client, team.service)
    answered = client.post(
        _url(team.service, token),
        _answers(sending, helpfulness="Excellent", impartial="Yes", comments="Thank you"),
    )
    assert answered.status_code == 302
    assert Response.objects.filter(sending=sending).count() == 1


@pytest.fixture
def redis_cache(settings):
    """The production cache: one store that every server process counts in."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url(),
            "KEY_PREFIX": "pps-tests",
        }
    }
    from django.core.cache import cache

    cache.clear()
    yield cache
    cache.clear()


def test_counts_are_shared_through_the_redis_cache(redis_cache, team, sent):
    from django.test import Client

    _case, _sending, token = sent
    # Two clients stand for two server processes: the count lives in Redis, not in either.
    first, second = Client(), Client()
    for number in range(throttle.LIMIT):
        assert _guess(first if number % 2 else second, team.service).status_code == 404
    assert redis_cache.get("evaluation-link-failures:127.0.0.1") == throttle.LIMIT
    assert _guess(first, team.service).status_code == 429
    assert _guess(second, team.service).status_code == 429
    assert second.get(_url(team.service, token)).status_code == 200


def test_a_token_is_stored_only_as_its_hash(team, sent):
    _case, sending, token = sent
    stored = Sending.objects.filter(pk=sending.pk).values_list("token_hash", flat=True).get()
    assert token not in stored
    assert stored == links.token_hash(token)
    assert len(token) == 16 and links.looks_like_a_token(token)
