"""The coordinator's segment suggestion: shown with the rule that matched, decided only by a
person, kept with its version, copied into the plan; nothing for those who may not read."""

import ast
import datetime as dt
import math
import uuid
from pathlib import Path

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from conftest import login
from tyollisyystalo.audit.models import AccessLogEntry
from tyollisyystalo.cases.models import Case, CaseStatus
from tyollisyystalo.plans.models import Plan, PlanVersion
from tyollisyystalo.plans.services import plan_create
from tyollisyystalo.segments.features import feature_row, features
from tyollisyystalo.segments.models import (
    Segment,
    SegmentSuggestion,
    SuggestionState,
)
from tyollisyystalo.segments.selectors import analysis_source
from tyollisyystalo.segments.tests.conftest import approve_new, staff_make
from tyollisyystalo.segments.tests.conftest import open_client as _open_client
from tyollisyystalo.staff.roles import Role

SEGMENTS_ROOT = Path(__file__).resolve().parents[1]
PROJECT_ROOT = SEGMENTS_ROOT.parents[1]


def _holds(condition, value, feature):
    """The oracle's reading of one condition (written apart from ``criteria``)."""
    if math.isnan(value):
        return bool(condition["unknown"])
    if feature.kind == "category":
        same = feature.choices[int(value)] == condition["value"]
        return same if condition["op"] == "eq" else not same
    limit = float(condition["value"])
    return value <= limit if condition["op"] == "le" else value > limit


def _expected(version, client_id, county):
    """Which segment and rule the approved criteria give, read through the organisation-level
    source (another reading path than the card's) and evaluated here."""
    known = analysis_source(county).facts[client_id]
    row = feature_row(known, timezone.localdate())
    by_code = {f.code: (i, f) for i, f in enumerate(features())}
    for segment in version.segments.order_by("position"):
        for number, rule in enumerate(segment.rules_json):
            if all(
                _holds(c, row[by_code[c["feature"]][0]], by_code[c["feature"]][1]) for c in rule
            ):
                return segment, number
    return None, None


def _page(client_id):
    return reverse("casefile:section", kwargs={"client_id": client_id, "key": "segments"})


def _decide(client_id):
    return reverse("client_segments:decide", kwargs={"client_id": client_id})


def test_the_coordinator_sees_the_suggestion_and_its_rule_and_confirms_it(client, region, approved):
    coordinator = region["coordinator"]
    client_id = _open_client(coordinator)
    segment, rule = _expected(approved, client_id, region["county"])
    login(client, coordinator)
    page = client.get(_page(client_id))
    text = page.content.decode()
    assert page.status_code == 200
    if segment is None:
        assert "Mikään segmenttiversion 1 kriteeri ei täyty" in text
    else:
        assert f"kriteerit ehdottavat segmenttiä <strong>{segment.name_fi}</strong>" in text
        assert f'value="{segment.pk}"' in text
    assert not SegmentSuggestion.objects.exists()  # opening it decides nothing

    chosen = str(segment.pk) if segment else "none"
    done = client.post(_decide(client_id), {"segment": chosen, "reason": ""})
    assert done.status_code == 302
    decided = SegmentSuggestion.objects.get()
    assert decided.state == SuggestionState.CONFIRMED
    assert (decided.suggested, decided.chosen, decided.rule) == (segment, segment, rule)
    assert decided.decided_by == coordinator
    assert decided.version == approved
    assert decided.owner_organisation == coordinator.organisation
    entry = AccessLogEntry.objects.get(action="create", object_id=str(decided.pk))
    assert entry.client_id == client_id
    assert entry.categories == "assessments"


def test_choosing_otherwise_needs_a_reason_and_keeps_the_history(client, region, approved):
    coordinator = region["coordinator"]
    client_id = _open_client(coordinator)
    suggested, _rule = _expected(approved, client_id, region["county"])
    other = approved.segments.exclude(pk=getattr(suggested, "pk", None)).order_by("position")[0]
    login(client, coordinator)
    refused = client.post(_decide(client_id), {"segment": str(other.pk), "reason": "  "})
    assert refused.status_code == 400
    assert "Kerro lyhyesti, miksi valitset toisin" in refused.content.decode()
    assert not SegmentSuggestion.objects.exists()

    reason = "Asiakas kertoi tapaamisessa, että päihteet eivät ole enää ajankohtaisia."
    assert (
        client.post(_decide(client_id), {"segment": str(other.pk), "reason": reason}).status_code
        == 302
    )
    assert (
        client.post(
            _decide(client_id), {"segment": "none", "reason": "Ei sovi mihinkään."}
        ).status_code
        == 302
    )
    first, second = SegmentSuggestion.objects.order_by("created_at", "id")
    assert (first.state, first.chosen, first.reason) == (SuggestionState.CHANGED, other, reason)
    assert (second.chosen, second.suggested) == (None, suggested)
    page = client.get(_page(client_id)).content.decode()
    assert reason in page
    assert "ei segmenttiä" in page


@pytest.mark.parametrize("value", ["999999", "abc", ""])
def test_a_segment_not_in_the_approved_version_is_refused(client, region, approved, value):
    client_id = _open_client(region["coordinator"])
    login(client, region["coordinator"])
    response = client.post(_decide(client_id), {"segment": value, "reason": "Perustelu tähän."})
    assert response.status_code == 400
    assert not SegmentSuggestion.objects.exists()


def test_a_decision_keeps_the_version_it_was_made_with(client, region, approved, analysis):
    client_id = _open_client(region["coordinator"])
    login(client, region["coordinator"])
    client.post(_decide(client_id), {"segment": "none", "reason": "Ei sovi mihinkään."})
    approve_new(region["analyst"], analysis)
    decided = SegmentSuggestion.objects.get()
    assert decided.version == approved
    assert "versio 1" in client.get(_page(client_id)).content.decode()


@pytest.mark.parametrize("who", [Role.NURSE, Role.COORDINATOR])
def test_those_who_may_not_read_the_client_get_404_and_nothing_is_kept(
    client, region, approved, who
):
    client_id = _open_client(region["coordinator"])
    # Staff of another organisation with no consent from the client.
    someone = staff_make(f"muu-{who}", region["other"], who)
    login(client, someone)
    assert client.get(_page(client_id)).status_code == 404
    assert (
        client.post(_decide(client_id), {"segment": "none", "reason": "x" * 20}).status_code == 404
    )
    assert not SegmentSuggestion.objects.exists()
    assert not AccessLogEntry.objects.filter(
        actor_user_id=someone.user_id, outcome="allowed"
    ).exists()


def test_a_manager_without_record_writes_cannot_decide(client, region, approved):
    client_id = _open_client(region["coordinator"])
    login(client, region["analyst"])
    assert client.post(_decide(client_id), {"segment": "none", "reason": "x" * 20}).status_code in (
        403,
        404,
    )
    assert not SegmentSuggestion.objects.exists()


def test_the_process_is_copied_into_the_plan_in_one_step(client, region, approved):
    coordinator = region["coordinator"]
    client_id = _open_client(coordinator)
    case = Case.objects.filter(client_id=client_id).exclude(status=CaseStatus.CLOSED).get()
    Plan.objects.filter(case=case).delete()
    plan = plan_create(
        actor=coordinator,
        case_id=case.pk,
        plan_type="client",
        started_on=timezone.localdate(),
        content={"goals": [{"text": "Työkyvyn selvittäminen"}], "actions": []},
    )
    segment = approved.segments.order_by("position")[0]
    login(client, coordinator)
    suggested, _rule = _expected(approved, client_id, region["county"])
    reason = "" if suggested == segment else "Tapaamisessa sovittu."
    client.post(_decide(client_id), {"segment": str(segment.pk), "reason": reason})
    page = client.get(_page(client_id)).content.decode()
    assert "Kopioi vaiheet suunnitelmaan" in page
    url = reverse("client_segments:to_plan", kwargs={"client_id": client_id})
    assert client.post(url, {"plan": str(plan.pk)}).status_code == 302
    plan.refresh_from_db()
    assert plan.current_number == 2
    content = PlanVersion.objects.get(plan=plan, number=2).content
    start = case.started_on or plan.started_on
    assert [(a.what, a.due_on) for a in content.actions] == [
        (
            f"Ensitapaaminen {segment.code} (Työkykykoordinaattori)",
            (start + dt.timedelta(days=14)).isoformat(),
        ),
        (
            f"Palveluohjaus {segment.code} (Sosiaalityöntekijä)",
            (start + dt.timedelta(days=45)).isoformat(),
        ),
    ]
    again = client.post(url, {"plan": str(plan.pk)})
    assert again.status_code == 400
    assert "jo suunnitelmassa" in again.content.decode()
    plan.refresh_from_db()
    assert plan.current_number == 2


def test_no_code_path_gives_a_segment_without_a_person(client, region, approved):
    # Approving, opening the card and the section, and the management pages decide nothing.
    coordinator = region["coordinator"]
    client_id = _open_client(coordinator)
    login(client, coordinator)
    client.get(reverse("casefile:card", kwargs={"client_id": client_id}))
    client.get(_page(client_id))
    assert not SegmentSuggestion.objects.exists()
    # The database refuses a decided state without the person and the time.
    segment = Segment.objects.filter(version=approved).first()
    for state in (SuggestionState.CONFIRMED, SuggestionState.CHANGED):
        with pytest.raises(IntegrityError), transaction.atomic():
            SegmentSuggestion.objects.create(
                client_id=client_id,
                owner_organisation=coordinator.organisation,
                category="assessments",
                version=approved,
                suggested=segment,
                chosen=segment,
                state=state,
            )
    with pytest.raises(IntegrityError), transaction.atomic():
        SegmentSuggestion.objects.create(
            client_id=client_id,
            owner_organisation=coordinator.organisation,
            category="assessments",
            version=approved,
            chosen=segment,  # a chosen segment while still open: nobody chose it
        )
    # In the code, only the decision service writes a suggestion, and it takes the person.
    writers = _suggestion_writers()
    assert writers == {("tyollisyystalo/segments/services.py", "segment_suggestion_decide")}


def _suggestion_writers():
    """(file, function) of every place in product code that creates, saves or updates a
    SegmentSuggestion (``objects.create``/``bulk_create``/``update``/``SegmentSuggestion(...)``)."""
    found = set()
    for path in (PROJECT_ROOT / "tyollisyystalo").rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        source = path.read_text()
        if "SegmentSuggestion" not in source:
            continue
        tree = ast.parse(source)
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef):
                continue
            text = ast.get_source_segment(source, function) or ""
            writes = (
                "SegmentSuggestion.objects.create",
                "SegmentSuggestion.objects.bulk_create",
                "SegmentSuggestion.objects.update",
                "SegmentSuggestion(",
                "SegmentSuggestion.objects.get_or_create",
                "SegmentSuggestion.objects.update_or_create",
            )
            if any(w in text for w in writes):
                found.add((str(path.relative_to(PROJECT_ROOT)), function.name))
    return found


def test_the_card_logs_what_the_suggestion_read(client, region, approved):
    coordinator = region["coordinator"]
    client_id = _open_client(coordinator, answered=True)
    login(client, coordinator)
    before = AccessLogEntry.objects.count()
    client.get(_page(client_id))
    entries = AccessLogEntry.objects.filter(object_type="segment_suggestion", client_id=client_id)
    assert AccessLogEntry.objects.count() > before
    categories = {c for e in entries for c in e.categories.split(",")}
    assert categories & {"assessments", "health"}  # the instrument answers it read
    assert categories <= {"assessments", "employment_services", "identity", "health", "plan"}


def test_identification_and_the_path_lead_to_the_segment(client, region, analysis):
    coordinator = region["coordinator"]
    client_id = _open_client(coordinator)
    case = Case.objects.filter(client_id=client_id).exclude(status=CaseStatus.CLOSED).get()
    pages = [
        reverse("instruments:client_instruments", kwargs={"client_id": client_id}),
        reverse("cases:detail", kwargs={"case_id": case.pk}),
    ]
    login(client, coordinator)
    for url in pages:  # no approved segments yet: no way there
        assert _page(client_id) not in client.get(url).content.decode()
    approve_new(region["analyst"], analysis)
    for url in pages:
        assert _page(client_id) in client.get(url).content.decode()
    assert not SegmentSuggestion.objects.exists()


def test_a_suggestion_resting_on_missing_answers_says_so_and_is_not_chosen(region, approved):
    from django.template.loader import render_to_string

    from tyollisyystalo.segments.forms import SuggestionForm
    from tyollisyystalo.segments.suggestions import Live

    segments = tuple(approved.segments.order_by("position"))
    unknown_only = Live(
        approved,
        segments,
        segments[0],
        0,
        "x",
        conditions=(("Mielenterveyden haasteet: kyllä tai ei tiedossa", "ei tiedossa"),),
        unknown=1,
    )
    partly = Live(
        approved,
        segments,
        segments[0],
        0,
        "x",
        conditions=(("A: kyllä", "kyllä"), ("B: ≤ 4 tai ei tiedossa", "ei tiedossa")),
        unknown=1,
    )
    assert unknown_only.resting_on_unknown
    assert not partly.resting_on_unknown
    form = SuggestionForm(segments=segments, initial={"segment": ""})
    for live, warning in (
        (unknown_only, "Ehdotus perustuu vain puuttuviin tietoihin"),
        (partly, "1 ehdoista täyttyi vain siksi, että tieto puuttuu"),
    ):
        html = render_to_string(
            "segments/_card_segments.html",
            {"s": {"live": live, "form": form}, "client_id": uuid.uuid4()},
        )
        assert warning in html
        assert "checked" not in html
        assert "ei tiedossa</td>" in html


def test_deciding_without_approved_segments_says_why_and_keeps_nothing(client, region, approved):
    """When the reader's organisation has no approved segments (here its version is retired
    after a first decision, so the part is still shown), deciding is refused with the reason."""
    client_id = _open_client(region["coordinator"])
    login(client, region["coordinator"])
    client.post(_decide(client_id), {"segment": "none", "reason": "Ei sovi mihinkään."})
    approved.status = "retired"
    approved.save(update_fields=["status"])
    before = SegmentSuggestion.objects.count()
    response = client.post(_decide(client_id), {"segment": "none", "reason": "Ei sovi."})
    assert response.status_code == 400
    assert "Organisaatiollasi ei ole hyväksyttyjä asiakassegmenttejä." in response.content.decode()
    assert SegmentSuggestion.objects.count() == before
