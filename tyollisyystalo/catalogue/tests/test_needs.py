"""The need vocabulary: everyday words bring the right services; region editors extend it."""

from __future__ import annotations

import tomllib

import pytest
from django.urls import reverse

from conftest import OrganisationFactory, login, make_person
from tyollisyystalo.catalogue.models import NeedExpression, SearchTerm, Service
from tyollisyystalo.catalogue.search.analysis import analyse, finnish_terms
from tyollisyystalo.catalogue.search.needs import (
    NEEDS_FILE,
    expression_problem,
    file_needs,
    matched_needs,
    need_build,
)
from tyollisyystalo.catalogue.search.query import catalogue_search, query_language
from tyollisyystalo.staff.roles import Role


def top(q: str, lang: str = "fi", n: int = 5) -> list[str]:
    return [h.service.source_id for h in catalogue_search(q=q, language=lang, limit=n).hits]


def test_every_reviewed_entry_has_a_reason_and_words_that_can_match():
    needs = file_needs()
    assert len(needs) >= 60
    for need in needs:
        assert need.reason.strip()
        assert need.phrases, need.label  # not only filler words
        assert need.means or need.areas or need.groups
    entries = tomllib.loads(NEEDS_FILE.read_text(encoding="utf-8"))["need"]
    unusable = [
        (entry["lang"], says)
        for entry in entries
        for says in entry["says"]
        if expression_problem(says, entry["lang"])
    ]
    assert unusable == []  # e.g. "can't work" would match every "work"


@pytest.mark.django_db
def test_every_catalogue_word_of_the_file_is_in_the_demo_catalogue(catalogue):
    """A ``means`` word no service uses would bring nothing ("matbistånd" when the texts say
    "mathjälp"): each must reach at least one service's index terms in its language."""
    entries = tomllib.loads(NEEDS_FILE.read_text(encoding="utf-8"))["need"]
    dead = [
        (entry["lang"], word)
        for entry in entries
        for word in entry["means"]
        if not SearchTerm.objects.filter(
            language=entry["lang"],
            term__in=[t.text for _w, terms in analyse(word, entry["lang"]) for t in terms],
        ).exists()
    ]
    assert dead == []


def test_an_expression_is_matched_as_a_whole_and_misspelt_words_are_read():
    def said(q: str, lang: str = "fi") -> set[str]:
        words = list(analyse(q, lang))
        unknown = frozenset(
            i for i, (_w, terms) in enumerate(words) if all(t.kind == "word" for t in terms)
        )
        return {need.label for _positions, need in matched_needs(words, needs, lang, unknown)}

    needs = [
        need_build(language="fi", says=["pää hajoo"], means=["mielenterveys"]),
        need_build(language="fi", says=["ulosotto"], means=["velkaneuvonta"]),
        need_build(language="fi", says=["kunto"], means=["liikunta"]),
    ]
    assert said("mun pää hajoo kohta") == {"pää hajoo"}
    assert said("pää kipeä") == set()  # one word of the phrase is not the phrase
    assert said("ulosoto vie palkan") == {"ulosotto"}  # a typo of a vocabulary word
    assert said("kuntoutsraha") == set()  # a typo is not a compound of "kunto"
    assert said("kuntosalille") == {"kunto"}  # a compound that starts with it is


@pytest.mark.django_db
def test_a_service_about_the_need_outranks_one_naming_the_word_in_passing(catalogue):
    # "jaksaa" is in many service texts in passing; exhaustion is met by mental wellbeing
    # services, which the vocabulary names with several of their words.
    found = top("en jaksa enää mitään", n=5)
    mental = set(
        Service.objects.filter(
            attributes__taxonomy_term__taxonomy__code="tt-area",
            attributes__taxonomy_term__code="mieli",
        ).values_list("source_id", flat=True)
    )
    assert len(set(found) & mental) >= 3, found


@pytest.mark.parametrize(
    ("written", "standard"),
    [
        ("tyoton", "työtön"),
        ("hajoo", "hajota"),
        ("tarvii", "tarvita"),
        ("pitäis", "pitää"),
        ("kipee", "kipeä"),
        ("itsetuhoset", "itsetuhoinen"),
        ("pitkaaikaistyoton", "pitkäaikaistyötön"),
    ],
)
def test_spoken_forms_and_missing_umlauts_reach_their_base_forms(written, standard):
    assert standard in {t.text for t in finnish_terms(written)}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "interface", "expected"),
    [
        ("skuldrådgivning", "fi", "sv"),
        ("help with debts", "fi", "en"),
        ("velkaneuvonta", "en", "fi"),
        ("tyokokeilu", "fi", "fi"),  # a typo stays in the interface's language
        ("IPS", "sv", "sv"),
    ],
)
def test_the_query_language_is_read_from_the_words(catalogue, query, interface, expected):
    assert query_language(query, interface) == expected


@pytest.mark.django_db
def test_words_no_service_uses_find_help_through_the_vocabulary(catalogue):
    # "duuni" (slang for work) and "kämppä" (a flat) appear in no service text.
    assert {"svc-001", "svc-015", "svc-020", "svc-139", "svc-008"} & set(top("duunia", n=5))
    assert {"svc-057", "svc-053"} & set(top("ei oo kämppää", n=5))


@pytest.mark.django_db
def test_the_vocabulary_counts_less_than_the_persons_own_words(catalogue):
    # "yksinäinen" is in service texts; the vocabulary's words (olohuone…) must not push the
    # direct matches down.
    direct = catalogue_search(q="yksinäinen", language="fi", limit=20)
    first = direct.hits[0]
    assert first.score == max(h.score for h in direct.hits)
    assert direct.needs  # the entry matched too


@pytest.fixture
def editors(municipalities):
    county = OrganisationFactory.create(code="org-county", name_fi="Hyvinvointialue")
    return {
        "admin": make_person("paivi", "Päivi Pääkkönen", county, Role.ADMINISTRATOR),
        "editor": make_person("sirpa", "Sirpa Salo", county, Role.SERVICE_EDITOR),
        "coordinator": make_person("aino", "Aino Koordinaattori", county, Role.COORDINATOR),
    }


ENTRY = {
    "language": "fi",
    "says": "hilut loppu\nhilut",
    "means": "velkaneuvonta\ntalousneuvonta",
    "areas": ["talous"],
    "reason": "Slangia: hilut = rahat.",
    "is_active": "on",
}


@pytest.mark.django_db
def test_a_region_editor_adds_an_expression_and_the_search_uses_it_at_once(
    client, catalogue, editors
):
    assert not {"svc-087", "svc-105"} & set(top("hilut", n=5))
    login(client, editors["admin"])
    response = client.post(reverse("catalogue:need_add"), ENTRY)
    assert response.status_code == 302
    entry = NeedExpression.objects.get()
    assert entry.created_by == editors["admin"]
    assert entry.areas_list() == ["talous"]
    assert {"svc-087", "svc-105"} & set(top("hilut", n=3))
    page = client.get(reverse("catalogue:needs"), {"kokeile": "hilut loppu"}).text
    assert "hilut loppu" in page
    # Taken out of use, it no longer matches.
    client.post(reverse("catalogue:need_edit", args=[entry.pk]), {**ENTRY, "is_active": ""})
    assert not {"svc-087", "svc-105"} & set(top("hilut", n=5))


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["editor", "coordinator"])
def test_others_may_not_change_the_vocabulary(client, catalogue, editors, who):
    login(client, editors[who])
    assert client.get(reverse("catalogue:needs")).status_code == 403
    assert client.post(reverse("catalogue:need_add"), ENTRY).status_code == 403
    assert not NeedExpression.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"says": "ja\nmulla"}, "says"),  # only filler words: would never match
        ({"says": "en pysty"}, "says"),  # filler leaves one word that would match anywhere
        ({"says": ""}, "says"),
        ({"means": ""}, "means"),
        ({"areas": ["avaruus"]}, "areas"),
        ({"language": "de"}, "language"),
        ({"reason": ""}, "reason"),
        ({"says": "x" * 101}, "says"),
    ],
)
def test_bad_entries_are_refused_with_a_message_and_nothing_saved(
    client, catalogue, editors, change, field
):
    login(client, editors["admin"])
    response = client.post(reverse("catalogue:need_add"), {**ENTRY, **change})
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert not NeedExpression.objects.exists()


@pytest.mark.django_db
def test_an_unknown_entry_is_a_404(client, catalogue, editors):
    login(client, editors["admin"])
    assert client.get(reverse("catalogue:need_edit", args=[999])).status_code == 404
