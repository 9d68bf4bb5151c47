"""The workshop as an analyst walks it, and what everyone else gets: 404, nothing read, nothing
changed, nothing logged."""

import pytest
from django.urls import reverse

from conftest import login
from tyollisyystalo.audit.models import AccessLogEntry
from tyollisyystalo.segments.models import (
    ProcessStep,
    Segment,
    SegmentAnalysis,
    SegmentVersion,
    VersionStatus,
)
from tyollisyystalo.segments.services import segment_version_draft
from tyollisyystalo.segments.tests.conftest import PURPOSE, furnish, staff_make
from tyollisyystalo.staff.roles import Role

WORKSHOP = reverse("segments:workshop")


def _formset(prefix, rows, initial=0):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{i}-{key}"] = value
    return data


def _edit_data(conditions, steps, name="Pitkään työttömät, mielen tuki", position="1"):
    return {
        "position": position,
        "name_fi": name,
        "name_sv": "Långtidsarbetslösa",
        "name_en": "Long-term unemployed",
        "instructions_fi": "Sovi ensin mielenterveyspalveluista.",
        "instructions_sv": "",
        "instructions_en": "",
        **_formset("c", conditions),
        **_formset("s", steps),
    }


CONDITIONS = [
    {"rule": "1", "feature": "unemployment_months", "op": "gt", "number": "24"},
    {"rule": "1", "feature": "language", "op": "eq", "category": "fi", "unknown": "on"},
    {"rule": "2", "feature": "work_ability", "op": "le", "number": "4"},
]
STEPS = [
    {
        "title_fi": "Ensitapaaminen ja tuen tarpeen kartoitus",
        "title_sv": "Första mötet",
        "responsible": Role.COORDINATOR,
        "due_days": "14",
    },
    {"title_fi": "", "responsible": "", "due_days": ""},  # an empty new row is skipped
]


def test_the_analyst_runs_an_analysis_drafts_edits_and_approves_a_version(client, region):
    analyst = region["analyst"]
    login(client, analyst)
    page = client.get(reverse("management:index"))
    assert WORKSHOP in page.content.decode()
    page = client.get(WORKSHOP)
    assert page.status_code == 200
    assert "Tee uusi analyysi" in page.content.decode()

    done = client.post(
        WORKSHOP, {"purpose": PURPOSE, "k_low": "4", "k_high": "5", "resamples": "1"}
    )
    analysis = SegmentAnalysis.objects.get()
    assert done.status_code == 302
    assert done["Location"] == reverse("segments:analysis", kwargs={"analysis_id": analysis.pk})
    page = client.get(done["Location"])
    text = page.content.decode()
    assert page.status_code == 200
    assert "Ehdotetut segmentit" in text
    # Every candidate is shown, with its criteria in words.
    for candidate in analysis.results_json["candidates"]:
        assert f"Segmentti {candidate['code']}" in text
    assert " JA " in text or ":" in text

    drafted = client.post(done["Location"])
    version = SegmentVersion.objects.get()
    assert drafted["Location"] == reverse("segments:version", kwargs={"version_id": version.pk})
    page = client.get(drafted["Location"])
    text = page.content.decode()
    assert page.status_code == 200
    for heading in ("Tasapuolisuus", "Sukupuoli", "Ikäryhmä"):
        assert heading in text

    segment = version.segments.order_by("position")[0]
    edit = reverse("segments:segment_edit", kwargs={"segment_id": segment.pk})
    page = client.get(edit)
    assert page.status_code == 200
    saved = client.post(edit, _edit_data(CONDITIONS, STEPS))
    assert saved.status_code == 302, saved.content.decode()
    segment.refresh_from_db()
    assert segment.name_fi == "Pitkään työttömät, mielen tuki"
    assert segment.name_sv == "Långtidsarbetslösa"
    assert segment.rules_json == [
        [
            {"feature": "unemployment_months", "op": "gt", "value": 24.0, "unknown": False},
            {"feature": "language", "op": "eq", "value": "fi", "unknown": True},
        ],
        [{"feature": "work_ability", "op": "le", "value": 4.0, "unknown": False}],
    ]
    steps = list(segment.steps.all())
    assert [(s.title_fi, s.responsible, s.due_days) for s in steps] == [
        ("Ensitapaaminen ja tuen tarpeen kartoitus", Role.COORDINATOR, 14)
    ]
    page = client.get(drafted["Location"])
    assert "Yhtäjaksoinen työttömyys: &gt; 24 kk" in page.content.decode()

    # The others are still as drafted: approval says what each lacks, and waits.
    refused = client.post(drafted["Location"])
    assert refused.status_code == 400
    assert "puuttuu nimi, ohjeet, palveluprosessi" in refused.content.decode()
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT
    furnish(analyst, version, skip={segment.code})
    approved = client.post(drafted["Location"])
    assert approved.status_code == 302
    version.refresh_from_db()
    assert version.status == VersionStatus.APPROVED
    assert version.approved_by == analyst
    # An approved version is not edited: the editor sends the analyst back.
    assert (
        client.post(edit, _edit_data(CONDITIONS, STEPS, name="Muu"))["Location"]
        == (drafted["Location"])
    )
    segment.refresh_from_db()
    assert segment.name_fi == "Pitkään työttömät, mielen tuki"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"purpose": "", "k_low": "2", "k_high": "4", "resamples": "0"}, "Kirjoita, mihin"),
        ({"purpose": PURPOSE, "k_low": "5", "k_high": "3", "resamples": "0"}, "pienempi"),
        ({"purpose": PURPOSE, "k_low": "1", "k_high": "3", "resamples": "0"}, "vähintään 2"),
        ({"purpose": PURPOSE, "k_low": "2", "k_high": "3", "resamples": "-1"}, "vähintään 1"),
        ({"purpose": PURPOSE, "k_low": "x", "k_high": "3", "resamples": "0"}, "kokonaisluku"),
    ],
)
def test_bad_analysis_input_is_a_400_with_the_reason_and_nothing_kept(
    client, region, data, message
):
    login(client, region["analyst"])
    before = AccessLogEntry.objects.count()
    page = client.post(WORKSHOP, data)
    assert page.status_code == 400
    assert message in page.content.decode()
    assert not SegmentAnalysis.objects.exists()
    assert AccessLogEntry.objects.count() == before


def test_too_few_clients_are_refused_with_the_reason(client, region):
    login(client, region["other_analyst"])  # 40 clients
    page = client.post(
        WORKSHOP, {"purpose": PURPOSE, "k_low": "2", "k_high": "3", "resamples": "1"}
    )
    assert page.status_code == 400
    assert "vähintään 100 asiakasta" in page.content.decode()
    assert not SegmentAnalysis.objects.exists()


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            {"rule": "1", "feature": "sex", "op": "eq", "category": "female"},
            "Valitse oikea vaihtoehto",
        ),
        (
            {"rule": "1", "feature": "age_group", "op": "eq", "category": "-29"},
            "Valitse oikea vaihtoehto",
        ),
        ({"rule": "1", "feature": "work_ability", "op": "gt", "number": ""}, "Anna raja"),
        ({"rule": "1", "feature": "work_ability", "op": "gt", "number": "700"}, "600"),
        ({"rule": "1", "feature": "language", "op": "gt", "category": "fi"}, "”on” tai ”ei ole”"),
        ({"rule": "1", "feature": "language", "op": "eq", "category": ""}, "Valitse luokka"),
        ({"rule": "", "feature": "work_ability", "op": "gt", "number": "3"}, "pakollinen"),
    ],
)
def test_bad_criteria_are_a_400_with_the_reason_and_nothing_saved(
    client, region, analysis, row, message
):
    login(client, region["analyst"])
    version = segment_version_draft(actor=region["analyst"], analysis=analysis)
    segment = version.segments.order_by("position")[0]
    rules, checks = segment.rules_json, version.checks_json
    page = client.post(
        reverse("segments:segment_edit", kwargs={"segment_id": segment.pk}),
        _edit_data([row], STEPS),
    )
    assert page.status_code == 400
    assert message in page.content.decode()
    segment.refresh_from_db()
    version.refresh_from_db()
    assert (segment.rules_json, segment.name_fi, version.checks_json) == (
        rules,
        segment.name_fi,
        checks,
    )
    assert not segment.name_fi.startswith("Pitkään")
    assert not ProcessStep.objects.exists()


def test_a_step_with_a_bad_deadline_saves_neither_the_names_nor_the_criteria(
    client, region, analysis
):
    login(client, region["analyst"])
    version = segment_version_draft(actor=region["analyst"], analysis=analysis)
    segment = version.segments.order_by("position")[0]
    bad = [{**STEPS[0], "due_days": "9999"}]
    page = client.post(
        reverse("segments:segment_edit", kwargs={"segment_id": segment.pk}),
        _edit_data(CONDITIONS, bad),
    )
    assert page.status_code == 400
    assert "730" in page.content.decode()
    assert Segment.objects.get(pk=segment.pk).name_fi == segment.name_fi


def test_approving_an_unfinished_version_says_why(client, region, analysis):
    login(client, region["analyst"])
    version = segment_version_draft(actor=region["analyst"], analysis=analysis)
    segment = version.segments.order_by("position")[0]
    Segment.objects.filter(pk=segment.pk).update(rules_json=[])
    page = client.post(reverse("segments:version", kwargs={"version_id": version.pk}))
    assert page.status_code == 400
    assert "puuttuu nimi, kriteeri, ohjeet, palveluprosessi" in page.content.decode()
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT


def _urls(analysis, version, segment):
    return [
        WORKSHOP,
        reverse("segments:analysis", kwargs={"analysis_id": analysis.pk}),
        reverse("segments:version", kwargs={"version_id": version.pk}),
        reverse("segments:segment_edit", kwargs={"segment_id": segment.pk}),
    ]


@pytest.mark.parametrize("who", ["coordinator", "other_analyst", "nurse", "kela_expert"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_everyone_but_the_organisations_analysts_gets_404_and_nothing_is_logged(
    client, region, analysis, who, method
):
    version = segment_version_draft(actor=region["analyst"], analysis=analysis)
    segment = version.segments.order_by("position")[0]
    someone = region.get(who) or staff_make(who, region["county"], Role(who))
    login(client, someone)
    before = AccessLogEntry.objects.count()
    versions = SegmentVersion.objects.count()
    urls = _urls(analysis, version, segment)
    if who == "other_analyst":  # has a workshop of their own, which lists nothing of the county
        own = client.get(urls.pop(0)).content.decode()
        assert str(analysis.pk) not in own
        assert f"/versio/{version.pk}/" not in own
    for url in urls:
        data = {"purpose": PURPOSE, "k_low": "2", "k_high": "3", "resamples": "0"}
        response = getattr(client, method)(url, data if method == "post" else None)
        assert response.status_code == 404, url
        assert PURPOSE not in response.content.decode()
    assert AccessLogEntry.objects.count() == before
    assert SegmentVersion.objects.count() == versions
    assert SegmentAnalysis.objects.count() == 1
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT


def test_the_management_page_links_the_workshop_to_analysts_only(client, region):
    login(client, region["coordinator"])
    page = client.get(reverse("management:index"))
    assert WORKSHOP not in page.content.decode()


def test_a_signed_out_visitor_is_sent_to_sign_in(client, region, analysis):
    version = segment_version_draft(actor=region["analyst"], analysis=analysis)
    segment = version.segments.order_by("position")[0]
    for url in _urls(analysis, version, segment):
        response = client.get(url)
        assert response.status_code == 302
        assert "kirjaudu" in response["Location"] or "login" in response["Location"]


def test_the_analyst_puts_a_segment_first_or_last(client, region, analysis):
    login(client, region["analyst"])
    version = segment_version_draft(actor=region["analyst"], analysis=analysis)
    codes = list(version.segments.order_by("position").values_list("code", flat=True))
    first = version.segments.get(code=codes[0])
    url = reverse("segments:segment_edit", kwargs={"segment_id": first.pk})
    moved = client.post(url, _edit_data(CONDITIONS, STEPS, position=str(len(codes))))
    assert moved.status_code == 302
    after = list(version.segments.order_by("position").values_list("code", flat=True))
    assert after == [*codes[1:], codes[0]]
    assert list(version.segments.order_by("position").values_list("position", flat=True)) == list(
        range(1, len(codes) + 1)
    )
    refused = client.post(url, _edit_data(CONDITIONS, STEPS, position=str(len(codes) + 1)))
    assert refused.status_code == 400
    assert f"Järjestyksen on oltava 1–{len(codes)}." in refused.content.decode()
    assert list(version.segments.order_by("position").values_list("code", flat=True)) == after
