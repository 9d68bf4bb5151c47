"""The segment workshop in a real browser: the analyst finds it from the management front page,
is told what is wrong with a bad analysis request, runs one, reads the candidates, drafts a
version, names a segment and gives it a criterion and a step, approves the version and reads it
in Swedish; axe-core clean on every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from conftest import PASSWORD
from tests.browser.conftest import assert_accessible
from tests.browser.test_walkthrough import log_in
from tyollisyystalo.cases.models import Case, CaseStatus
from tyollisyystalo.segments.models import SegmentSuggestion, SegmentVersion, VersionStatus
from tyollisyystalo.segments.tests.conftest import (  # noqa: F401 - fixtures
    PURPOSE,
    analysis,
    approved,
    furnish,
    open_client,
    region,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_analyst_finds_names_and_approves_segments(page: Page, region) -> None:  # noqa: F811
    analyst = region["analyst"]
    analyst.user.set_password(PASSWORD)
    analyst.user.first_name, analyst.user.last_name = "Helena", "Analyytikko"
    analyst.user.save()
    log_in(page, analyst, start="Organisaation käyttöloki")

    page.get_by_role("link", name="Tiedolla johtaminen").click()
    page.get_by_role("link", name="Asiakassegmentit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Asiakassegmentit")
    assert_accessible(page)

    # A range upside down: said plainly, next to the field.
    page.get_by_label("Käyttötarkoitus").fill(PURPOSE)
    page.get_by_label("Segmenttejä vähintään").fill("5")
    page.get_by_label("Segmenttejä enintään").fill("4")
    page.get_by_label("Vakauden uudelleenotannat").fill("0")
    page.get_by_role("button", name="Tee analyysi").click()
    expect(page.get_by_role("alert")).to_contain_text("Enimmäismäärä ei voi olla pienempi")
    assert_accessible(page)

    page.get_by_label("Segmenttejä vähintään").fill("4")
    page.get_by_label("Segmenttejä enintään").fill("5")
    page.get_by_label("Vakauden uudelleenotannat").fill("1")
    page.get_by_role("button", name="Tee analyysi").click()
    expect(page.get_by_role("heading", name="Ehdotetut segmentit")).to_be_visible(timeout=120_000)
    expect(page.get_by_role("heading", name="Segmentti s1", level=3)).to_be_visible()
    page.get_by_text("Kaikki tiedot").first.click()
    assert_accessible(page)

    page.get_by_role("button", name="Tee luonnosversio näistä segmenteistä").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Segmenttiversio 1")
    expect(page.get_by_role("table", name="Segmentit: Sukupuoli")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Muokkaa segmenttiä Segmentti 1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Muokkaa segmenttiä Segmentti 1")
    assert_accessible(page)
    page.get_by_label("Nimi suomeksi").fill("Pitkään työttömät")
    page.get_by_label("Nimi ruotsiksi").fill("Långtidsarbetslösa")
    page.get_by_label("Ohjeet ohjaukseen suomeksi").fill("Sovi ensin työkyvyn selvittämisestä.")
    # A new criterion on a score without its limit: refused with the reason.
    new = page.locator("fieldset.action-form").filter(has=page.get_by_label("Kriteeri nro")).last
    new.get_by_label("Kriteeri nro").fill("9")
    new.get_by_label(re.compile(r"^Tieto")).select_option(label="Yhtäjaksoinen työttömyys")
    new.get_by_label("Vertailu").select_option(label="kyllä / yli")
    page.get_by_role("button", name="Tallenna segmentti").click()
    expect(page.get_by_role("alert")).to_contain_text("Anna raja tiedolle Yhtäjaksoinen työttömyys")
    assert_accessible(page)
    new = page.locator("fieldset.action-form").filter(has=page.get_by_label("Kriteeri nro")).last
    new.get_by_label("Raja").fill("24")
    step = page.locator("fieldset.action-form").filter(has=page.get_by_label("Kuka vastaa")).last
    step.get_by_label("Mitä tehdään (suomeksi)").fill("Ensitapaaminen koordinaattorin kanssa")
    step.get_by_label("Kuka vastaa").select_option(label="Työkykykoordinaattori")
    step.get_by_label("Määräaika (päivää polun alusta)").fill("14")
    page.get_by_role("button", name="Tallenna segmentti").click()
    expect(
        page.get_by_role("heading", name=re.compile(r"^\d\. Pitkään työttömät$"))
    ).to_be_visible()
    expect(page.get_by_text("Yhtäjaksoinen työttömyys: > 24 kk").first).to_be_visible()
    expect(page.get_by_text("Ensitapaaminen koordinaattorin kanssa")).to_be_visible()

    # The other segments are still as drafted: approval says what each lacks.
    page.get_by_role("button", name="Hyväksy versio").click()
    expect(page.get_by_role("alert")).to_contain_text("puuttuu nimi, ohjeet, palveluprosessi")
    assert_accessible(page)
    draft = SegmentVersion.objects.get()
    named = draft.segments.get(name_fi="Pitkään työttömät")
    furnish(analyst, draft, skip={named.code})
    page.get_by_role("button", name="Hyväksy versio").click()
    expect(page.get_by_text("Versio hyväksyttiin")).to_be_visible()
    assert_accessible(page)
    version = SegmentVersion.objects.get()
    assert version.status == VersionStatus.APPROVED
    assert version.approved_by_id == analyst.pk

    # The seed's metrics per segment of the approved version (nobody decided yet: zeros).
    page.goto("/johtaminen/segmentit/mittarit/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mittarit segmenteittäin")
    expect(page.get_by_role("heading", name="Siirtyminen pois työttömyydestä")).to_be_visible()
    assert_accessible(page)
    page.goto(f"/johtaminen/segmentit/versio/{version.pk}/")

    page.get_by_label("Kieli").select_option("sv")
    page.get_by_role("button", name="Vaihda", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(
        page.get_by_role("heading", name=re.compile(r"^\d\. Långtidsarbetslösa$"))
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Rättvisa")).to_be_visible()
    expect(page.get_by_role("table", name="Segmenten: Kön")).to_be_visible()
    assert_accessible(page)


def test_the_coordinator_reads_the_suggestion_and_decides(page: Page, region, approved) -> None:  # noqa: F811
    coordinator = region["coordinator"]
    coordinator.user.set_password(PASSWORD)
    coordinator.user.save()
    client_id = open_client(coordinator)
    case = Case.objects.filter(client_id=client_id).exclude(status=CaseStatus.CLOSED).get()
    log_in(page, coordinator, start="Asiakkaani")

    page.goto(f"/polut/{case.pk}/")
    page.get_by_role("link", name="Asiakassegmentti: ehdotus, ohjeet ja palveluprosessi").click()
    expect(page.get_by_role("heading", name="Kriteerien ehdotus")).to_be_visible()
    assert_accessible(page)

    # Another segment than suggested, without saying why: refused, said next to the field.
    named = page.locator("#segments-title ~ p strong")
    suggested = named.first.text_content() if named.count() else None
    labels = [
        text.strip()
        for text in page.locator(
            "input[type=radio] + label, label:has(input[type=radio])"
        ).all_text_contents()
    ]
    other = next(t for t in labels if t not in (suggested, "Ei mikään näistä segmenteistä"))
    page.get_by_label(other, exact=True).check()
    page.get_by_role("button", name="Tallenna segmentti").click()
    expect(page.get_by_role("alert")).to_contain_text("Kerro lyhyesti, miksi valitset toisin")
    assert_accessible(page)
    assert not SegmentSuggestion.objects.exists()

    page.get_by_label("Perustelu").fill("Asiakkaan tilanne muuttui tapaamisessa.")
    page.get_by_role("button", name="Tallenna segmentti").click()
    expect(page.get_by_text("Asiakassegmentti tallennettiin.")).to_be_visible()
    expect(page.get_by_role("heading", name="Segmenttihistoria")).to_be_visible()
    expect(page.get_by_role("heading", name="Palveluprosessi")).to_be_visible()
    assert_accessible(page)
    decided = SegmentSuggestion.objects.get()
    assert decided.decided_by_id == coordinator.pk
    assert decided.state == "changed"


def test_the_manager_reads_the_backtest_and_asks_what_if(page: Page, region) -> None:  # noqa: F811
    analyst = region["analyst"]
    analyst.user.set_password(PASSWORD)
    analyst.user.save()
    log_in(page, analyst, start="Organisaation käyttöloki")
    page.get_by_role("link", name="Tiedolla johtaminen").click()
    page.get_by_role("link", name="Kapasiteettisimulaattori").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kapasiteettisimulaattori")
    expect(
        page.get_by_role("heading", name="Toistaako simulaatio viimeiset kuusi kuukautta?")
    ).to_be_visible()
    page.get_by_text("Kaavion luvut taulukkona").first.click()
    assert_accessible(page)

    page.get_by_label("Koordinaattoreita").fill("-2")
    page.get_by_role("button", name="Simuloi").click()
    expect(page.get_by_role("alert")).to_contain_text("Koordinaattoreita on oltava 1–500.")
    assert_accessible(page)

    page.get_by_label("Koordinaattoreita").fill("5")
    page.get_by_label("Ohjausten muutos, %").fill("30")
    page.get_by_role("button", name="Simuloi").click()
    expect(page.get_by_role("columnheader", name="Muutoksen jälkeen")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Kieli").select_option("en")
    page.get_by_role("button", name="Vaihda", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Capacity simulator")
    assert_accessible(page)
