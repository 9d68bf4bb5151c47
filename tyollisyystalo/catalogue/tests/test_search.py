"""Finnish-aware catalogue search: what a person typing a need relies on."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tyollisyystalo.catalogue.search.analysis import analyse, voikko_available
from tyollisyystalo.catalogue.search.evaluation import judged_set, quality
from tyollisyystalo.catalogue.search.query import Filters, catalogue_search

# Measured 2026-12-05 (docs/BENCHMARKS.md) less a margin; raised as the search improves.
HELD_OUT_FLOOR = {"recall": 0.45, "ndcg": 0.52, "kinds": 0.60}


def top(q, lang="fi", n=3, **filters):
    return [
        h.service.source_id
        for h in catalogue_search(q=q, language=lang, filters=Filters(**filters), limit=n).hits
    ]


def test_voikko_is_installed_and_reduces_words_to_base_forms():
    assert voikko_available()
    assert [[t.text for t in terms] for _, terms in analyse("velat masennukseen", "fi")] == [
        ["velka"],
        ["masennus", "masentaa"],
    ]


def test_compounds_are_split_into_their_parts():
    terms = [t.text for _, ts in analyse("työkykykoordinaattorille", "fi") for t in ts]
    assert terms == ["työkykykoordinaattori", "työ", "kyky", "koordinaattori"]


def test_unknown_words_keep_their_written_form():
    assert [[t.text for t in ts] for _, ts in analyse("xyzzyq TYP", "fi")] == [["xyzzyq"], ["typ"]]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "lang", "expected"),
    [
        ("velkoihin", "fi", {"svc-087", "svc-105"}),  # inflected
        ("työkokeiluun", "fi", {"svc-003", "svc-016"}),  # inflected compound
        ("koordinaattori", "fi", {"svc-002", "svc-055"}),  # compound part
        ("velkaneuvona", "fi", {"svc-087", "svc-105"}),  # typo
        ("palkatuki", "fi", {"svc-004", "svc-017"}),  # typo
        ("TYP", "fi", {"svc-023", "svc-024"}),  # jargon
        ("IPS", "fi", {"svc-063"}),
        ("SHL 27 d", "fi", {"svc-068"}),
        ("arbetsprövning", "sv", {"svc-003", "svc-016"}),
        # svc-087 fell to 6th with the row budget of issue 18 (closing note): to be won back.
        ("debt advice", "en", {"svc-105"}),
    ],
)
def test_the_expected_services_come_first(catalogue, query, lang, expected):
    assert expected <= set(top(query, lang, n=max(3, len(expected))))


@pytest.mark.django_db
def test_a_need_in_ones_own_words_finds_debt_and_sleep_help(catalogue):
    found = set(top("velat painaa enkä saa nukuttua", n=10))
    assert {"svc-087", "svc-105"} & found
    assert "svc-119" in found


@pytest.mark.django_db
def test_synonyms_widen_the_search(catalogue):
    # "alakulo" appears in no service; its synonyms (masennus, mieliala…) do.
    assert top("alakulo", n=5)


@pytest.mark.django_db
def test_relaxes_to_any_word_when_nothing_matches_all(catalogue):
    results = catalogue_search(q="velkaneuvonta xyzzyq", language="fi")
    assert results.relaxed is True
    assert results.hits[0].service.source_id in {"svc-087", "svc-105"}
    assert results.hits[0].words_matched == 1


@pytest.mark.django_db
def test_filters_narrow_the_results(catalogue):
    everything = catalogue_search(q="neuvonta", language="fi", limit=100)
    free = catalogue_search(q="neuvonta", language="fi", filters=Filters(free=True), limit=100)
    assert 0 < free.count < everything.count
    assert all(h.service.is_free for h in free.hits)
    pohjala = catalogue_search(
        q="työkokeilu", language="fi", filters=Filters(municipality="Pohjala"), limit=100
    )
    ids = {h.service.source_id for h in pohjala.hits}
    assert "svc-016" in ids  # Pohjala's own
    assert "svc-003" not in ids  # Esimerkkilä's only
    assert {
        h.service.source_id
        for h in catalogue_search(q="", filters=Filters(area="asuminen"), limit=100).hits
    } >= {
        "svc-053",
        "svc-084",
    }


@pytest.mark.django_db
def test_search_quality_on_the_judged_queries_stays_high(catalogue):
    """A floor under recall@5 and nDCG@10 (bench/search_quality.py reports the full figures)."""
    recall, ndcg, _n = quality(judged_set("old"), lambda q, lang: top(q, lang, n=10))["ALL"]
    assert recall >= 0.70
    assert ndcg >= 0.75


@pytest.mark.django_db
def test_search_quality_on_the_held_out_half_of_the_needs_set(catalogue):
    """Issue 18's floor, on queries nothing was tuned on (bench/search_needs.json, held-out
    half; bench/search_quality.py reports every category, both halves and the old set)."""
    held_out = judged_set("held-out")
    assert len(held_out) >= 45
    results = quality(held_out, lambda q, lang: top(q, lang, n=10))
    recall, ndcg, _n = results["ALL"]
    assert recall >= HELD_OUT_FLOOR["recall"]
    assert ndcg >= HELD_OUT_FLOOR["ndcg"]
    # Names, jargon, compounds and typos keep working.
    for kind in ("name", "jargon", "compound", "typo"):
        assert results[kind][1] >= HELD_OUT_FLOOR["kinds"], kind


@pytest.mark.django_db
def test_search_queries_do_not_depend_on_the_number_of_matches(catalogue):
    catalogue_search(q="työ", language="fi")  # warm the vocabulary

    def count(q):
        with CaptureQueriesContext(connection) as ctx:
            catalogue_search(q=q, language="fi")
        return len(ctx.captured_queries)

    assert count("työ") == count("velkaneuvonta") == count("velat painaa enkä saa nukuttua")


@pytest.mark.django_db
def test_search_api(client, catalogue):
    response = client.get("/api/v1/catalogue/search", {"q": "velkoihin", "lang": "fi"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] >= 2
    assert body["results"][0]["source_id"] in {"svc-087", "svc-105"}
    assert set(body["results"][0]) >= {"id", "source_id", "name", "organization", "score"}
    sv = client.get("/api/v1/catalogue/search", {"q": "skuldrådgivning", "lang": "sv"}).json()
    assert sv["results"][0]["name"] in {
        "Ekonomi- och skuldrådgivning",
        "Skuldrådgivning och ekonomisk coachning",
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "q"),
        ({"q": "x", "lang": "de"}, "lang"),
        ({"q": "x", "limit": "0"}, "limit"),
        ({"q": "x" * 300}, "q"),
    ],
)
def test_search_api_rejects_bad_parameters(client, catalogue, params, field):
    response = client.get("/api/v1/catalogue/search", params)
    assert response.status_code == 400
    assert field in response.json()
