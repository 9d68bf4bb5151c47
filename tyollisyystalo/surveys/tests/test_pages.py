"""The survey pages over HTTP: the link page's answers, the client's own pages, the staff's SMS
text, and the managers' results with the five-answer rule and their scope."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import OrganisationFactory, StaffFactory, login, make_client, open_path
from tyollisyystalo.audit.models import AccessLogEntry
from tyollisyystalo.cases.services import case_transition
from tyollisyystalo.organisations.models import Municipality
from tyollisyystalo.selfservice.models import ClientAccount
from tyollisyystalo.staff.roles import Role
from tyollisyystalo.surveys import services
from tyollisyystalo.surveys.models import Answer, AnswerValue, Invitation

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate
GOOD = {"overall": "9", "heard": "5", "plan_mine": "4", "repeated_story": "no"}


def _closed_client(aino, employment, name=("Klaus", "Kivinen")):
    client = make_client(organisation=employment, name=name)
    case = open_path(aino, client)
    case_transition(actor=aino, case_id=case.id, to_status="active", on=TODAY())
    case_transition(
        actor=aino, case_id=case.id, to_status="closed", on=TODAY(), outcome="independent"
    )
    return client


def _link(invitation: Invitation) -> str:
    token = services.invitation_link_make(invitation_id=invitation.pk)
    return f"/kysely/{token}/"


# --- the link page ---------------------------------------------------------------------------


def test_the_link_page_refuses_out_of_scale_then_stores_once(client: HttpClient, aino, employment):
    _closed_client(aino, employment)
    url = _link(Invitation.objects.get(survey="client_satisfaction"))
    page = client.get(url)
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "same-origin"
    text = page.content.decode()
    assert "Asiakastyytyväisyys" in text
    assert "4 = heikko, 10 = erinomainen" in text
    assert 'value="10"' in text
    refused = client.post(url, {**GOOD, "overall": "12"})
    assert refused.status_code == 400
    assert "Anna luku väliltä 4–10." in refused.content.decode()
    assert Answer.objects.count() == 0
    done = client.post(url, GOOD)
    assert done.status_code == 200
    assert "Kiitos vastauksistasi" in done.content.decode()
    assert Answer.objects.count() == 1
    again = client.post(url, GOOD)
    assert again.status_code == 410
    assert "Kyselyyn on jo vastattu" in again.content.decode()
    assert client.get(url).status_code == 410
    assert Answer.objects.count() == 1


def test_changed_unknown_and_expired_links_say_so(client: HttpClient, aino, employment):
    _closed_client(aino, employment)
    invitation = Invitation.objects.get(survey="client_satisfaction")
    url = _link(invitation)
    # One character of the token changed (only that one: the same letter may be in the path).
    changed = url[:-3] + ("Z" if url[-3] != "Z" else "Y") + url[-2:]
    response = client.post(changed, GOOD)
    assert response.status_code == 400
    assert "Linkki on muuttunut" in response.content.decode()
    response = client.get(f"/kysely/{services.token_new()}/")
    assert response.status_code == 404
    assert "Linkkiä ei löytynyt" in response.content.decode()
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1),
        created_at=timezone.now() - dt.timedelta(days=31),
    )
    response = client.post(url, GOOD)
    assert response.status_code == 410
    assert "Linkki on vanhentunut" in response.content.decode()
    assert Answer.objects.count() == 0


def test_easy_finnish_on_request(client: HttpClient, aino, employment):
    _closed_client(aino, employment)
    url = _link(Invitation.objects.get(survey="client_satisfaction"))
    assert "Anna palvelulle arvosana 4–10." in client.get(url + "?selko=1").content.decode()
    assert "Anna palvelulle arvosana" not in client.get(url).content.decode()


def test_the_link_page_in_swedish(client: HttpClient, aino, employment):
    _closed_client(aino, employment)
    url = _link(Invitation.objects.get(survey="work_ability_change"))
    client.cookies["tt_language"] = "sv"
    text = client.get(url, HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "Förändringen i din arbetsförmåga" in text


# --- the client's own pages ------------------------------------------------------------------


def _account(client_obj, username="klaus") -> ClientAccount:
    user = get_user_model().objects.create_user(username)
    return ClientAccount.objects.create(user=user, client=client_obj)


def test_the_client_sees_and_answers_an_open_survey_on_own_pages(
    client: HttpClient, aino, employment
):
    klaus = _closed_client(aino, employment)
    other = _closed_client(aino, employment, name=("Olli", "Muu"))
    client.force_login(_account(klaus).user)
    home = client.get("/omat/").content.decode()
    assert "Kyselyt sinulle" in home
    own = Invitation.objects.get(client=klaus, survey="work_ability_change")
    assert f"/omat/kyselyt/{own.pk}/" in home
    theirs = Invitation.objects.get(client=other, survey="work_ability_change")
    assert client.get(f"/omat/kyselyt/{theirs.pk}/").status_code == 404
    assert (
        client.post(f"/omat/kyselyt/{theirs.pk}/", {"now": "5", "at_start": "5"}).status_code == 404
    )
    assert (
        client.post(f"/omat/kyselyt/{own.pk}/", {"now": "-1", "at_start": "2"}).status_code == 400
    )
    assert client.post(f"/omat/kyselyt/{own.pk}/", {"now": "6", "at_start": "2"}).status_code == 200
    assert sorted(AnswerValue.objects.values_list("item", "value")) == [("at_start", 2), ("now", 6)]
    assert client.get(f"/omat/kyselyt/{own.pk}/").status_code == 404
    assert f"/omat/kyselyt/{own.pk}/" not in client.get("/omat/").content.decode()
    # The client's data export names the invitations, answered or not, never the answers.
    exported = json.loads(client.get("/omat/omat-tiedot.json").content)
    invited = sorted((i["survey"], i["answered"]) for i in exported["survey_invitations"])
    assert invited == [("client_satisfaction", False), ("work_ability_change", True)]
    assert "at_start" not in json.dumps(exported)


# --- the staff's SMS text --------------------------------------------------------------------


def test_the_coordinator_makes_an_sms_text_and_others_get_404(
    client: HttpClient, aino, employment, county
):
    klaus = _closed_client(aino, employment)
    invitation = Invitation.objects.get(client=klaus, survey="client_satisfaction")
    login(client, aino)
    card = client.get(f"/asiakkaat/{klaus.pk}/").content.decode()
    assert "Tee linkki tekstiviestiin" in card
    response = client.post(f"/kyselyt/kutsu/{invitation.pk}/linkki/")
    assert response.status_code == 200
    found = re.search(r"/kysely/([^/\s<]+)/", response.content.decode())
    assert found is not None
    assert services.invitation_for_token(found.group(1)).pk == invitation.pk
    stranger = StaffFactory.create(organisation=county, role=Role.COORDINATOR)
    login(client, stranger)
    invitation.refresh_from_db()
    before = invitation.token_hash
    denied = AccessLogEntry.objects.filter(outcome="denied").count()
    assert client.post(f"/kyselyt/kutsu/{invitation.pk}/linkki/").status_code == 404
    invitation.refresh_from_db()
    assert invitation.token_hash == before
    assert AccessLogEntry.objects.filter(outcome="denied").count() == denied + 1


# --- results ---------------------------------------------------------------------------------


def _answers(organisation, municipality, values: list[int], *, survey="client_satisfaction"):
    """``values`` of the indicator item, other items fixed; answered this month."""
    month = TODAY().replace(day=1)
    for value in values:
        answer = Answer.objects.create(
            survey=survey,
            version="1",
            organisation=organisation,
            municipality=municipality,
            month=month,
            texts=json.dumps({"comments": f"Palaute {value}"})
            if survey == "employer_feedback"
            else "",
        )
        AnswerValue.objects.create(
            answer=answer,
            survey=survey,
            item="overall",
            organisation=organisation,
            municipality=municipality,
            month=month,
            value=value,
        )


@pytest.fixture
def places(employment):
    north = Municipality.objects.create(code="901", name_fi="Pohjola")
    south = Municipality.objects.create(code="902", name_fi="Etelä")
    employment.municipalities.set([north, south])
    return north, south


def test_results_only_from_five_answers(client: HttpClient, mikko, employment, places):
    north, south = places
    login(client, mikko)
    url = "/johtaminen/kyselyt/client_satisfaction/"
    _answers(employment, north, [9, 8, 7, 10])
    text = client.get(url).content.decode()
    assert "&lt; 5 vastausta" in text
    assert "tuloksia ei näytetä" in text
    assert "8,5" not in text
    _answers(employment, south, [6])
    text = client.get(url).content.decode()
    # By hand: (9 + 8 + 7 + 10 + 6) / 5 = 40 / 5 = 8.0
    assert "5 vastausta" in text
    assert "8,0" in text
    # Per municipality: Pohjola 4 and Etelä 1 are both hidden (and the total stays, 5).
    rows = re.findall(r"<th scope=\"row\">(Pohjola|Etelä)</th><td>([^<]*)</td>", text)
    assert rows == [("Etelä", "&lt; 5"), ("Pohjola", "&lt; 5")]
    # 12 in Pohjola and 3 in Etelä: Etelä is small, and Pohjola would give it away as the
    # total minus Pohjola, so it is hidden too (x); the total, 15, is shown.
    _answers(employment, north, [8] * 8)
    _answers(employment, south, [8, 8])
    text = client.get(url).content.decode()
    rows = re.findall(r"<th scope=\"row\">(Pohjola|Etelä)</th><td>([^<]*)</td>", text)
    assert rows == [("Etelä", "&lt; 5"), ("Pohjola", "x")]
    assert "15 vastausta" in text
    # One municipality alone: 3 answers, hidden.
    text = client.get(url + "?kunta=902").content.decode()
    assert "tuloksia ei näytetä" in text


def test_results_scope_403_for_coordinator_404_for_foreign(
    client: HttpClient, aino, mikko, employment, places
):
    login(client, aino)
    assert client.get("/johtaminen/kyselyt/").status_code == 403
    assert client.get("/johtaminen/kyselyt/client_satisfaction/").status_code == 403
    other = OrganisationFactory.create(code="org-muu")
    other_place = Municipality.objects.create(code="903", name_fi="Muualla")
    login(client, mikko)
    assert client.get("/johtaminen/kyselyt/").status_code == 200
    url = "/johtaminen/kyselyt/client_satisfaction/"
    assert client.get(url + f"?organisaatio={other.code}").status_code == 404
    assert client.get(url + f"?kunta={other_place.code}").status_code == 404
    assert client.get("/johtaminen/kyselyt/nothing/").status_code == 404
    assert client.get(url + "?jakso=2026Q7").status_code == 400
    assert "Kyselyjen tulokset" in client.get("/johtaminen/").content.decode()


def test_the_steering_group_sees_the_region_in_aggregate(client: HttpClient, employment, places):
    north, south = places
    other = OrganisationFactory.create(code="org-toinen")
    _answers(employment, north, [5, 5, 5])
    _answers(other, north, [8, 8, 8, 8, 8, 8])
    raija = StaffFactory.create(organisation=other, role=Role.STEERING_GROUP)
    login(client, raija)
    text = client.get("/johtaminen/kyselyt/client_satisfaction/").content.decode()
    # By hand: (3 × 5 + 6 × 8) / 9 = 63 / 9 = 7.0 over 9 answers.
    assert "9 vastausta" in text
    assert "7,0" in text
    _answers(other, south, [10, 9, 9, 10, 7])
    text = client.get("/johtaminen/kyselyt/client_satisfaction/").content.decode()
    # By municipality, by hand: Pohjola 9 answers, mean 7.0; Etelä (10+9+9+10+7) / 5 = 9.0.
    rows = re.findall(
        r"<th scope=\"row\">(Pohjola|Etelä)</th><td>([^<]*)</td><td>([^<]*)</td>", text
    )
    assert rows == [("Etelä", "5", "9,0"), ("Pohjola", "9", "7,0")]
    assert (
        client.get(
            f"/johtaminen/kyselyt/client_satisfaction/?organisaatio={other.code}"
        ).status_code
        == 404
    )


def test_employer_free_texts_only_to_the_owner_manager_from_five(
    client: HttpClient, mikko, employment, places
):
    north, _south = places
    url = "/johtaminen/kyselyt/employer_feedback/"
    _answers(employment, north, [4, 5, 3, 4], survey="employer_feedback")
    login(client, mikko)
    text = client.get(url).content.decode()
    assert "Palaute 4" not in text
    assert "Vapaat vastaukset näytetään, kun vastauksia on vähintään 5." in text
    _answers(employment, north, [2], survey="employer_feedback")
    text = client.get(url).content.decode()
    assert all(f"Palaute {n}" in text for n in (2, 3, 4, 5))
    # The regional view has no free texts, even of the manager's own organisation.
    regional = client.get(url + "?alue=1").content.decode()
    assert "5 vastausta" in regional
    assert "Palaute" not in regional


def test_the_results_page_reads_a_constant_number_of_queries(
    client: HttpClient, mikko, employment, places
):
    north, south = places
    login(client, mikko)
    url = "/johtaminen/kyselyt/client_satisfaction/"
    _answers(employment, north, [9, 8, 7, 10, 6])
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _answers(employment, south, [8] * 40)
    _answers(employment, None, [7] * 10)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_a_role_without_record_writes_gets_403_logged_against_the_client(
    client: HttpClient, aino, employment
):
    klaus = _closed_client(aino, employment)
    invitation = Invitation.objects.get(client=klaus, survey="client_satisfaction")
    raija = StaffFactory.create(organisation=employment, role=Role.STEERING_GROUP)
    login(client, raija)
    before = invitation.token_hash
    response = client.post(f"/kyselyt/kutsu/{invitation.pk}/linkki/")
    assert response.status_code == 403
    invitation.refresh_from_db()
    assert invitation.token_hash == before
    denied = AccessLogEntry.objects.filter(outcome="denied", client_id=klaus.pk)
    assert denied.count() == 1


def test_the_work_ability_change_is_the_mean_of_now_minus_start(
    client: HttpClient, mikko, employment, places
):
    north, _south = places
    month = TODAY().replace(day=1)
    # By hand: (7-3) + (6-5) + (8-4) + (5-5) + (9-6) = 4 + 1 + 4 + 0 + 3 = 12; 12 / 5 = 2.4.
    for now, start in [(7, 3), (6, 5), (8, 4), (5, 5), (9, 6)]:
        answer = Answer.objects.create(
            survey="work_ability_change",
            version="1",
            organisation=employment,
            municipality=north,
            month=month,
        )
        for item, value in (("now", now), ("at_start", start)):
            AnswerValue.objects.create(
                answer=answer,
                survey=answer.survey,
                item=item,
                organisation=employment,
                municipality=north,
                month=month,
                value=value,
            )
    login(client, mikko)
    text = client.get("/johtaminen/kyselyt/work_ability_change/").content.decode()
    assert "Muutos keskimäärin (nyt miinus alussa): 2,4" in text


def test_a_managers_region_hides_what_differs_from_their_own_by_a_few(
    client: HttpClient, mikko, employment, places
):
    """Mikko sees his organisation's results and the region's: where the region has only 1–4
    answers more than his own, the difference would be the other organisations' answers."""
    north, south = places
    other = OrganisationFactory.create(code="org-toinen")
    _answers(employment, north, [5] * 6)
    _answers(other, north, [9, 9, 9])  # Pohjola: 9 in the region, 6 of Mikko's: 3 apart
    _answers(employment, south, [6] * 5)
    _answers(other, south, [8] * 6)  # Etelä: 11 and 5: 6 apart
    login(client, mikko)
    url = "/johtaminen/kyselyt/client_satisfaction/?alue=1"
    text = client.get(url).content.decode()
    rows = re.findall(
        r"<th scope=\"row\">(Pohjola|Etelä)</th><td>([^<]*)</td><td>([^<]*)</td>", text
    )
    # By hand: Pohjola hidden ("x", and its mean: (6 × 5 + 3 × 9) / 9 would give the three
    # away beside Mikko's own 5.0); Etelä then hidden beside it (the total 20 is shown, and
    # 20 - Etelä would be Pohjola). The region's 20 against Mikko's 11: 9 apart, shown.
    assert rows == [("Etelä", "x", "x"), ("Pohjola", "x", "x")]
    assert "20 vastausta" in text
    # The steering group has no own view: the region whole.
    raija = StaffFactory.create(organisation=other, role=Role.STEERING_GROUP)
    login(client, raija)
    text = client.get("/johtaminen/kyselyt/client_satisfaction/").content.decode()
    rows = re.findall(
        r"<th scope=\"row\">(Pohjola|Etelä)</th><td>([^<]*)</td><td>([^<]*)</td>", text
    )
    # Pohjola (6 × 5 + 3 × 9) / 9 = 57 / 9 = 6.3; Etelä (5 × 6 + 6 × 8) / 11 = 78 / 11 = 7.1.
    assert rows == [("Etelä", "11", "7,1"), ("Pohjola", "9", "6,3")]


def test_an_items_summary_never_gives_a_hidden_count_back():
    """A yes/no share is the split itself; a scale's mean times the answers shown is the sum,
    which with two hidden counts gives both back. Worked by hand."""
    from tyollisyystalo.surveys.definitions import survey_current
    from tyollisyystalo.surveys.results import _item_result

    items = {
        i.kind: i
        for s in ("client_satisfaction", "employer_feedback")
        for i in survey_current(s).items
    }
    yes_no, scale = items["yesno"], items["scale"]
    # Yes 20, no 3: "no" is "< 5" and "yes" is hidden beside it; 20 / 23 = 87 % would say it.
    shown = _item_result(yes_no, {1: 20, 0: 3}, "fi")
    assert [str(f) for _key, f in shown.distribution] == ["x", "< 5"]
    assert str(shown.summary) == "x"
    assert str(shown.answered) == "23"
    # A scale in the region: 5 answered the lowest value and 7 the next, 4 of those 7 the
    # reader's own: the 7 is hidden (3 others), the 5 beside it; with 12 answers and the mean
    # (5 × low + 7 × next) / 12 both would come back, so the whole distribution is hidden.
    low = scale.scale_values[0]
    counts = {low: 5, low + 1: 7}
    shown = _item_result(scale, counts, "fi", {low + 1: 4})
    assert all(f.suppressed for _key, f in shown.distribution)
    mean = (5 * low + 7 * (low + 1)) / 12
    assert shown.summary.value == round(mean, 1)
    assert str(shown.answered) == "12"
    # Nothing hidden: the distribution and the mean are shown.
    shown = _item_result(scale, {low: 5, low + 1: 7}, "fi")
    assert [f.value for _key, f in shown.distribution][:2] == [5, 7]
    assert not any(f.suppressed for _key, f in shown.distribution)
