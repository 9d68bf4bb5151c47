"""Two people change the same consent from the same version: the second gets a 409, never a
silent overwrite of the first one's change."""

import pytest
from django.urls import reverse

from conftest import login
from tyollisyystalo.consents.models import ConsentVersion
from tyollisyystalo.consents.services import consent_record
from tyollisyystalo.consents.tests.test_consents import consent_input


def post_data(county, employment, *, purpose: str, base_number: int) -> dict[str, object]:
    return {
        "disclosing_organisations": [county.pk],
        "receiving_organisations": [employment.pk],
        "categories": ["health"],
        "purpose": purpose,
        "legal_basis": "consent",
        "method": "written_form",
        "form_reference": "Kela Y100",
        "valid_from": "1.1.2026",
        "base_number": str(base_number),
    }


@pytest.mark.django_db
def test_a_stale_revision_answers_409_shows_the_other_change_and_writes_nothing(
    client, sari, bertta, county, employment
):
    consent = consent_record(
        actor=bertta, client_id=sari.id, data=consent_input(county, employment)
    )
    url = reverse("consents:revise", kwargs={"consent_id": consent.pk})
    login(client, bertta)
    page = client.get(url)
    assert page.context["form"].initial["base_number"] == 1

    first = client.post(url, post_data(county, employment, purpose="Ensimmäinen", base_number=1))
    assert first.status_code == 302

    second = client.post(url, post_data(county, employment, purpose="Toinen", base_number=1))
    assert second.status_code == 409
    # Nothing of the second change was written; the first stands as the current version.
    versions = ConsentVersion.objects.filter(consent=consent).order_by("number")
    assert [(v.number, v.is_current, v.purpose) for v in versions][1:] == [(2, True, "Ensimmäinen")]
    html = second.content.decode()
    assert "Ensimmäinen" in html  # what the other person saved
    assert 'value="Toinen"' in html  # what this person typed is kept
    assert second.context["form"]["base_number"].value() == "2"

    # Saving again, now knowingly based on version 2, is accepted.
    third = client.post(url, post_data(county, employment, purpose="Toinen", base_number=2))
    assert third.status_code == 302
    assert ConsentVersion.objects.get(consent=consent, is_current=True).purpose == "Toinen"
