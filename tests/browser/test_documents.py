"""Documents (issue 16 part 7): a coordinator adds a PDF to a client's record, finds it on the
card and downloads it; at desktop and phone width, with axe, without sideways scrolling."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, ViewportSize, expect

from conftest import make_shared_client, open_path
from tests.browser.conftest import assert_accessible, open_card_parts
from tests.browser.test_walkthrough import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES: list[ViewportSize] = [{"width": 1280, "height": 900}, {"width": 375, "height": 812}]
PDF = b"%PDF-1.4\n%%EOF\nTyohistoria"


@pytest.mark.parametrize("size", SIZES, ids=["desktop", "phone"])
def test_a_coordinator_adds_and_opens_a_document(
    browser: Browser,
    live_server,
    purgeable_log,
    settings,
    employment,
    county,
    aino,
    bertta,
    size,
    tmp_path,
):
    settings.DOCUMENT_SCANNER = "tyollisyystalo.documents.tests.fake_scanner.scan"
    sari = make_shared_client(employment=employment, county=county, coordinator=aino, nurse=bertta)
    open_path(aino, sari)
    pdf = tmp_path / "cv.pdf"
    pdf.write_bytes(PDF)
    context = browser.new_context(base_url=live_server.url, viewport=size, locale="fi-FI")
    page = context.new_page()
    log_in(page, aino)
    page.goto(f"/asiakkaat/{sari.id}/")
    open_card_parts(page)
    page.get_by_role("link", name="Lisää asiakirja").click()
    expect(page.get_by_role("heading", name="Lisää asiakirja", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Tiedosto (PDF, PNG tai JPEG)").set_input_files(str(pdf))
    page.get_by_label("Otsikko").fill("Ansioluettelo")
    page.get_by_label("Tietoryhmä").select_option(label="Koulutus- ja työhistoria")
    page.get_by_role("button", name="Tallenna").click()
    expect(page.get_by_text("Asiakirja tallennettiin.")).to_be_visible()
    open_card_parts(page)
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
    with page.expect_download() as download:
        page.get_by_role("link", name="Ansioluettelo").click()
    assert download.value.suggested_filename == "cv.pdf"
    context.close()
