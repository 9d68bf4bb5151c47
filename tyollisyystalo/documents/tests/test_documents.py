"""Documents: kept only when small enough, a PDF/PNG/JPEG by content and clean; encrypted at
rest; opened only by those the gatekeeper lets read the category; the client sees what is shared."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import login, make_consent, make_person
from tyollisyystalo.audit.models import AccessLogEntry, Outcome
from tyollisyystalo.documents.checks import content_type_of
from tyollisyystalo.documents.models import Document
from tyollisyystalo.documents.services import document_store
from tyollisyystalo.documents.tests.fake_scanner import EICAR
from tyollisyystalo.selfservice.models import ClientAccount
from tyollisyystalo.staff.roles import Role

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\nLausunto: selkavaiva, kevyt tyo sopii"


@pytest.fixture(autouse=True)
def store(settings, tmp_path):
    settings.DOCUMENT_ROOT = str(tmp_path / "documents")
    settings.DOCUMENT_SCANNER = "tyollisyystalo.documents.tests.fake_scanner.scan"
    settings.DOCUMENT_MAX_BYTES = 2000
    return tmp_path / "documents"


def upload(client, client_id, data=PDF, name="lausunto.pdf", category="health", **extra):
    return client.post(
        reverse("documents:upload", kwargs={"client_id": client_id}),
        {
            "file": SimpleUploadedFile(name, data, content_type="application/pdf"),
            "title": "Lääkärinlausunto",
            "category": category,
            **extra,
        },
    )


def test_the_kind_is_read_from_the_content():
    assert content_type_of(PDF) == ("application/pdf", "pdf")
    assert content_type_of(b"\x89PNG\r\n\x1a\n....") == ("image/png", "png")
    assert content_type_of(b"\xff\xd8\xff\xe0....") == ("image/jpeg", "jpg")
    assert content_type_of(b"MZ\x90\x00 an executable") is None
    assert content_type_of(b"<html>%PDF-") is None


@pytest.mark.django_db
def test_a_nurse_keeps_a_statement_encrypted_and_opens_it(client, sari, bertta, store):
    login(client, bertta)
    response = upload(client, sari.id)
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.category == "health"
    assert document.owner_organisation_id == bertta.organisation_id
    assert document.scan == "clean"
    stored = (Path(store) / document.stored_as).read_bytes()
    assert b"selkavaiva" not in stored
    assert b"%PDF" not in stored
    opened = client.get(reverse("documents:download", kwargs={"document_id": document.pk}))
    assert opened.status_code == 200
    assert opened.content == PDF
    assert opened["Content-Type"] == "application/pdf"
    assert opened["Content-Disposition"].startswith("attachment;")
    assert opened["X-Content-Type-Options"] == "nosniff"
    assert AccessLogEntry.objects.filter(
        object_type="document", outcome=Outcome.ALLOWED, action="read", categories="health"
    ).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (PDF + b"x" * 3000, "iso.pdf", "liian suuri"),
        (b"MZ\x90\x00 not a pdf at all", "lausunto.pdf", "PDF, PNG tai JPEG"),
        (PDF + EICAR, "virus.pdf", "haittaohjelma"),
    ],
    ids=["too-large", "wrong-kind-with-pdf-name", "eicar"],
)
def test_refused_uploads_keep_nothing(client, sari, bertta, store, data, name, message):
    login(client, bertta)
    response = upload(client, sari.id, data=data, name=name)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Document.objects.exists()
    assert not Path(store).exists() or not any(Path(store).iterdir())


@pytest.mark.django_db
def test_without_a_scanner_a_file_is_kept_only_where_allowed(settings, sari, bertta):
    from django.core.exceptions import ValidationError

    settings.DOCUMENT_SCANNER = "tyollisyystalo.documents.tests.test_documents.no_scanner"
    settings.DOCUMENT_ALLOW_UNSCANNED = False
    kwargs = {
        "client_id": sari.id,
        "owner_organisation_id": bertta.organisation_id,
        "category": "health",
        "data": PDF,
        "filename": "a.pdf",
        "title": "A",
        "uploaded_by": bertta,
    }
    with pytest.raises(ValidationError, match="Virustarkistus"):
        document_store(**kwargs)
    assert not Document.objects.exists()
    settings.DOCUMENT_ALLOW_UNSCANNED = True
    assert document_store(**kwargs).scan == "not_scanned"


def no_scanner(data: bytes):
    from tyollisyystalo.documents.checks import ScannerUnavailable

    raise ScannerUnavailable


@pytest.mark.django_db
@pytest.mark.parametrize(
    "reader", ["nurse", "coordinator_no_consent", "coordinator_consent", "kela"]
)
def test_a_health_document_opens_only_to_those_the_consent_and_roles_allow(
    client, sari, aino, bertta, cecilia, employment, county, reader
):
    document = document_store(
        client_id=sari.id,
        owner_organisation_id=county.pk,
        category="health",
        data=PDF,
        filename="l.pdf",
        title="Lausunto",
        uploaded_by=bertta,
    )
    if reader == "coordinator_consent":
        make_consent(
            sari,
            disclosing=[county],
            receiving=[employment],
            categories=["health"],
            recorder=bertta,
        )
    staff = {"nurse": bertta, "kela": cecilia}.get(reader, aino)
    # The oracle, read from the setting apart from the gatekeeper: the county's own nurse in the
    # client's team, or the coordinator when the client's consent discloses health data (the
    # coordinator's role reads health data under consent); nobody else.
    expected = reader in ("nurse", "coordinator_consent")
    login(client, staff)
    card = client.get(reverse("casefile:card", kwargs={"client_id": sari.id}))
    opened = client.get(reverse("documents:download", kwargs={"document_id": document.pk}))
    reads = AccessLogEntry.objects.filter(
        actor_user_id=staff.user_id, object_type="document", outcome=Outcome.ALLOWED
    )
    if expected:
        assert opened.status_code == 200
        assert "Lausunto" in card.content.decode()
        assert reads.count() == 1
    else:
        assert opened.status_code == 404
        assert PDF not in opened.content
        assert reads.count() == 0
        if card.status_code == 200:
            assert "Lausunto" not in card.content.decode()


@pytest.mark.django_db
def test_the_client_sees_only_what_is_shared_with_them(client, sari, bertta, county, employment):
    from conftest import make_client

    shared = document_store(
        client_id=sari.id,
        owner_organisation_id=county.pk,
        category="health",
        data=PDF,
        filename="jaettu.pdf",
        title="Jaettu lausunto",
        uploaded_by=bertta,
        shared_with_client=True,
    )
    kept = document_store(
        client_id=sari.id,
        owner_organisation_id=county.pk,
        category="health",
        data=PDF,
        filename="oma.pdf",
        title="Työntekijän muistio",
        uploaded_by=bertta,
    )
    account = ClientAccount.objects.create(user=User.objects.create_user("sari-a"), client=sari)
    client.force_login(account.user)
    page = client.get(reverse("documents:own_index")).content.decode()
    assert "Jaettu lausunto" in page
    assert "Työntekijän muistio" not in page
    own = client.get(reverse("documents:own_download", kwargs={"document_id": shared.pk}))
    assert own.content == PDF
    assert (
        client.get(reverse("documents:own_download", kwargs={"document_id": kept.pk})).status_code
        == 404
    )
    other = make_client(organisation=employment, name=("Olli", "Muu"))
    account2 = ClientAccount.objects.create(user=User.objects.create_user("olli"), client=other)
    client.force_login(account2.user)
    assert (
        client.get(reverse("documents:own_download", kwargs={"document_id": shared.pk})).status_code
        == 404
    )


@pytest.mark.django_db
def test_someone_who_may_not_write_gets_a_404_and_nothing_is_kept(client, sari, employment, kela):
    stranger = make_person("kalle", "Kalle Kela", kela, Role.KELA_EXPERT)
    login(client, stranger)
    assert upload(client, sari.id).status_code == 404
    assert not Document.objects.exists()
