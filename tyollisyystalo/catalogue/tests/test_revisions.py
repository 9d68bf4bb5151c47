"""Provider self-service: own services only, drafts until published, history, stale flags."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import OrganisationFactory, login, make_person
from tyollisyystalo.audit.models import AccessLogEntry
from tyollisyystalo.catalogue.models import RevisionStatus, Service, ServiceRevision
from tyollisyystalo.catalogue.revisions import (
    service_confirm_current,
    service_draft_publish,
    service_draft_save,
    service_snapshot,
    snapshot_diff,
    stale_before,
    stale_services_notify,
)
from tyollisyystalo.catalogue.search.query import catalogue_search
from tyollisyystalo.catalogue.services import catalogue_import
from tyollisyystalo.organisations.models import OrganisationType
from tyollisyystalo.staff.roles import Role


@pytest.fixture
def network(municipalities):
    return {
        "klubitalo": OrganisationFactory.create(
            code="org-klubitalo", name_fi="Klubitalo", type=OrganisationType.NGO
        ),
        "askelma": OrganisationFactory.create(
            code="org-askelma", name_fi="Askelma", type=OrganisationType.NGO
        ),
    }


KEPT = {"svc-001", "svc-002", "svc-100", "svc-101"}


@pytest.fixture
def loaded(network, demo_data):
    # A few services are enough here, and keep each test's import and indexing quick.
    demo_data["services"] = [s for s in demo_data["services"] if s["id"] in KEPT]
    catalogue_import(data=demo_data)
    return {
        "club": Service.objects.get(source_id="svc-100"),
        "other": Service.objects.get(source_id="svc-001"),
    }


@pytest.fixture
def sirpa(network):
    sirpa = make_person("sirpa", "Sirpa Salo", network["klubitalo"], Role.SERVICE_EDITOR)
    sirpa.user.email = "sirpa@example.fi"
    sirpa.user.save()
    return sirpa


@pytest.fixture
def paivi(network):
    paivi = make_person("paivi", "Päivi Pääkkönen", network["askelma"], Role.ADMINISTRATOR)
    paivi.user.email = "paivi@example.fi"
    paivi.user.save()
    return paivi


def edited(service: Service, **changes) -> dict:
    data = service_snapshot(service)
    data.update(changes)
    return data


def edit_post(service: Service, **changes) -> dict:
    snap = edited(service)
    post = {k: v for k, v in snap.items() if k not in {"terms", "languages", "is_free"}}
    if snap["is_free"]:
        post["is_free"] = "on"
    post["areas"] = snap["terms"]["tt-area"]
    post["target_groups"] = snap["terms"]["tt-target-group"]
    post["access"] = snap["terms"]["tt-access"][0]
    post["channels"] = snap["terms"]["tt-channel"]
    post["languages"] = snap["languages"]
    post.update(changes)
    return post


def test_editor_sees_and_edits_only_own_organisations_services(client, loaded, sirpa):
    login(client, sirpa)
    page = client.get(reverse("catalogue:editor_dashboard")).content.decode()
    assert "Klubitalo Tuulikello" in page
    assert "Työnhakijaksi ilmoittautuminen" not in page
    other = loaded["other"]
    before = service_snapshot(other)
    for url in (
        reverse("catalogue:editor_service", args=[other.id]),
        reverse("catalogue:editor_edit", args=[other.id]),
    ):
        assert client.get(url).status_code == 404
    response = client.post(
        reverse("catalogue:editor_edit", args=[other.id]), edit_post(other, name_fi="Kaapattu")
    )
    assert response.status_code == 404
    assert client.post(reverse("catalogue:editor_confirm", args=[other.id])).status_code == 404
    assert not ServiceRevision.objects.exists()
    other.refresh_from_db()
    assert service_snapshot(other) == before
    assert not AccessLogEntry.objects.exists()


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.NURSE, Role.MANAGER])
def test_other_roles_have_no_service_editing(client, loaded, network, role):
    person = make_person("muu", "Muu Henkilö", network["klubitalo"], role)
    login(client, person)
    assert client.get(reverse("catalogue:editor_dashboard")).status_code == 403
    response = client.post(
        reverse("catalogue:editor_edit", args=[loaded["club"].id]),
        edit_post(loaded["club"], name_fi="X"),
    )
    assert response.status_code == 403
    assert not ServiceRevision.objects.exists()


def test_edit_is_a_draft_until_an_administrator_publishes(client, loaded, sirpa, paivi):
    club = loaded["club"]
    login(client, sirpa)
    url = reverse("catalogue:editor_edit", args=[club.id])
    response = client.post(
        url,
        edit_post(club, name_fi="Klubitalo Tuulikello – työpainotteinen yhteisö", action="submit"),
    )
    assert response.status_code == 302
    club.refresh_from_db()
    assert club.name_fi == "Klubitalo Tuulikello"  # the public still sees the old name
    public = client.get(reverse("portal:service", args=[club.id])).content.decode()
    assert "työpainotteinen yhteisö" not in public
    revision = ServiceRevision.objects.get()
    assert revision.status == RevisionStatus.SUBMITTED
    # The editor cannot publish.
    assert client.post(reverse("catalogue:editor_publish", args=[revision.pk])).status_code == 403

    client.logout()
    login(client, paivi)
    pending = client.get(reverse("catalogue:editor_dashboard"), {"nayta": "odottaa"})
    assert "Klubitalo Tuulikello" in pending.content.decode()
    review = client.get(reverse("catalogue:editor_service", args=[club.id])).content.decode()
    assert "työpainotteinen yhteisö" in review
    assert "<del>Klubitalo Tuulikello</del>" in review
    response = client.post(reverse("catalogue:editor_publish", args=[revision.pk]))
    assert response.status_code == 302
    club.refresh_from_db()
    assert club.name_fi == "Klubitalo Tuulikello – työpainotteinen yhteisö"
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.PUBLISHED
    assert revision.decided_by == paivi
    # Search finds the new wording at once.
    hits = catalogue_search(q="työpainotteinen", language="fi", limit=5).hits
    assert hits[0].service.pk == club.pk


def test_draft_can_be_saved_and_continued(client, loaded, sirpa):
    club = loaded["club"]
    login(client, sirpa)
    url = reverse("catalogue:editor_edit", args=[club.id])
    client.post(url, edit_post(club, description_sv="Klubbhuset", action="save"))
    revision = ServiceRevision.objects.get()
    assert revision.status == RevisionStatus.DRAFT
    form = client.get(url).context["form"]
    assert form.initial["description_sv"] == "Klubbhuset"
    client.post(url, edit_post(club, description_sv="Klubbhuset Tuulikello", action="save"))
    assert ServiceRevision.objects.count() == 1
    assert ServiceRevision.objects.get().data["description_sv"] == "Klubbhuset Tuulikello"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name_fi": ""}, "name_fi", "vaaditaan"),
        ({"areas": []}, "areas", "vaaditaan"),
        ({"is_free": "", "fees_description_fi": ""}, "fees_description_fi", "mitä palvelu maksaa"),
        ({"url": "ei osoite"}, "url", ""),
        ({"areas": ["ei-ole"]}, "areas", ""),
        ({"languages": []}, "languages", ""),
    ],
)
def test_bad_edits_are_refused_and_keep_the_typed_text(
    client, loaded, sirpa, changes, field, message
):
    club = loaded["club"]
    login(client, sirpa)
    post = edit_post(club, description_fi="Uusi kuvaus, jota ei saa hukata.", action="submit")
    post.update(changes)
    response = client.post(reverse("catalogue:editor_edit", args=[club.id]), post)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors
    assert message in " ".join(errors[field])
    assert "Uusi kuvaus, jota ei saa hukata." in response.content.decode()
    assert not ServiceRevision.objects.exists()


def test_submitting_without_changes_suggests_confirming(client, loaded, sirpa):
    club = loaded["club"]
    login(client, sirpa)
    response = client.post(
        reverse("catalogue:editor_edit", args=[club.id]), edit_post(club, action="submit")
    )
    assert response.status_code == 400
    assert "Vahvista tiedot ajantasaisiksi" in response.content.decode()


def test_administrator_returns_with_a_note(client, loaded, sirpa, paivi):
    club = loaded["club"]
    revision = service_draft_save(
        actor=sirpa, service_id=club.pk, data=edited(club, name_en="Club"), submit=True
    )
    login(client, paivi)
    url = reverse("catalogue:editor_return", args=[revision.pk])
    assert client.post(url, {"return-note": ""}).status_code == 400
    assert client.post(url, {"return-note": "Lisää ruotsinkielinen nimi."}).status_code == 302
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.DRAFT
    client.logout()
    login(client, sirpa)
    page = client.get(reverse("catalogue:editor_edit", args=[club.id])).content.decode()
    assert "Lisää ruotsinkielinen nimi." in page


def test_history_keeps_every_published_version_with_a_readable_diff(loaded, sirpa, paivi):
    club = loaded["club"]
    for name in ("Tuulikello 1", "Tuulikello 2"):
        club.refresh_from_db()
        revision = service_draft_save(
            actor=sirpa, service_id=club.pk, data=edited(club, name_fi=name), submit=True
        )
        service_draft_publish(actor=paivi, revision_id=revision.pk)
    first, second = ServiceRevision.objects.order_by("number")
    assert (first.number, second.number) == (1, 2)
    changes = snapshot_diff(second.base, second.data)
    assert [(c.label, c.before, c.after) for c in changes] == [
        ("Nimi suomeksi", "Tuulikello 1", "Tuulikello 2")
    ]


def test_area_change_updates_classification_and_ptv_terms(loaded, sirpa, paivi):
    club = loaded["club"]
    data = edited(club)
    data["terms"] = {**data["terms"], "tt-area": ["talous"]}
    revision = service_draft_save(actor=sirpa, service_id=club.pk, data=data, submit=True)
    service_draft_publish(actor=paivi, revision_id=revision.pk)
    codes = set(club.attributes.values_list("taxonomy_term__taxonomy__code", "taxonomy_term__code"))
    assert ("tt-area", "talous") in codes
    assert not any(tax == "tt-area" and code != "talous" for tax, code in codes)
    assert any(tax.startswith("ptv-") for tax, _ in codes)
    # Service type (not editable) is kept.
    assert any(tax == "tt-service-type" for tax, _ in codes)


def test_only_one_open_edit_per_service(loaded, sirpa, paivi):
    club = loaded["club"]
    service_draft_save(actor=sirpa, service_id=club.pk, data=edited(club, name_en="A"))
    service_draft_save(actor=paivi, service_id=club.pk, data=edited(club, name_en="B"))
    assert ServiceRevision.objects.count() == 1
    assert ServiceRevision.objects.get().data["name_en"] == "B"


def test_stale_services_are_flagged_and_confirming_clears_the_flag(client, loaded, sirpa):
    club = loaded["club"]
    Service.objects.filter(pk=club.pk).update(reviewed_at=timezone.now() - dt.timedelta(days=400))
    login(client, sirpa)
    page = client.get(reverse("catalogue:editor_dashboard"), {"nayta": "vanhentuneet"})
    assert [row.service.pk for row in page.context["rows"]] == [club.pk]
    assert "1 huomio" in page.content.decode()
    response = client.post(reverse("catalogue:editor_confirm", args=[club.id]))
    assert response.status_code == 302
    page = client.get(reverse("catalogue:editor_dashboard"), {"nayta": "vanhentuneet"})
    assert page.context["rows"] == []
    assert ServiceRevision.objects.get().status == RevisionStatus.CONFIRMED


def test_confirming_is_refused_while_an_edit_is_open(loaded, sirpa):
    club = loaded["club"]
    service_draft_save(actor=sirpa, service_id=club.pk, data=edited(club, name_en="A"))
    with pytest.raises(ValidationError):
        service_confirm_current(actor=sirpa, service_id=club.pk)


def test_stale_reminders_go_to_editors_and_administrators_once(loaded, sirpa, paivi):
    old = timezone.now() - dt.timedelta(days=400)
    Service.objects.filter(pk__in=[loaded["club"].pk, loaded["other"].pk]).update(reviewed_at=old)
    assert stale_services_notify() == 2
    by_address = {m.to[0]: m.body for m in mail.outbox}
    assert "Klubitalo Tuulikello" in by_address["sirpa@example.fi"]
    assert "Työnhakijaksi" not in by_address["sirpa@example.fi"]
    assert "Työnhakijaksi" in by_address["paivi@example.fi"]
    assert stale_services_notify() == 0
    assert len(mail.outbox) == 2


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        ("2026-11-23T10:00:00+00:00", "2025-11-23T10:00:00+00:00"),
        ("2028-02-29T10:00:00+00:00", "2027-02-28T10:00:00+00:00"),
    ],
)
def test_stale_means_twelve_calendar_months(now, expected):
    assert stale_before(dt.datetime.fromisoformat(now)) == dt.datetime.fromisoformat(expected)


def test_reimport_does_not_touch_reviewed_services(network, demo_data, sirpa):
    catalogue_import(data=demo_data)
    club = Service.objects.get(source_id="svc-100")
    reviewed = club.reviewed_at
    catalogue_import(data=demo_data)
    club.refresh_from_db()
    assert club.reviewed_at == reviewed


def test_a_service_nobody_could_be_told_about_waits_for_an_address(loaded, sirpa, paivi):
    old = timezone.now() - dt.timedelta(days=400)
    Service.objects.filter(pk__in=[loaded["club"].pk, loaded["other"].pk]).update(reviewed_at=old)
    paivi.user.email = ""
    paivi.user.save()
    assert stale_services_notify() == 1  # only Sirpa, about the club's service
    paivi.user.email = "paivi@example.fi"
    paivi.user.save()
    assert stale_services_notify() == 1
    assert "Työnhakijaksi" in mail.outbox[-1].body
    assert "Klubitalo Tuulikello" not in mail.outbox[-1].body


def test_dashboard_queries_do_not_grow_with_services(client, network, demo_data, paivi):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    few = dict(demo_data, services=[s for s in demo_data["services"] if s["id"] in KEPT])
    catalogue_import(data=few)
    login(client, paivi)
    url = reverse("catalogue:editor_dashboard")
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    catalogue_import(data=demo_data)
    with CaptureQueriesContext(connection) as large:
        assert len(client.get(url).context["rows"]) == 140
    assert len(large) == len(small)
