"""Messages between a client and their professionals: who sees a thread, receipts, the deputy
when someone is away, notices without content, and bad input refused with nothing saved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from conftest import add_to_team, login, make_consent, make_person, open_path
from tyollisyystalo.audit.models import AccessLogEntry, Outcome
from tyollisyystalo.clients.models import ClientIdentity
from tyollisyystalo.messaging.models import Message, MessageRead, Thread, ThreadMember
from tyollisyystalo.messaging.rules import Member, deputy_to_add
from tyollisyystalo.messaging.services import message_reply_by_client, thread_start_by_staff
from tyollisyystalo.notifications.models import Notification
from tyollisyystalo.selfservice.models import ClientAccount
from tyollisyystalo.staff.roles import Role

TODAY = timezone.localdate()


def main_of(response) -> str:
    text = response.content.decode()
    return text[text.index("<main") : text.index("</main>")]


@pytest.fixture
def account(sari):
    identity = ClientIdentity.objects.get(client=sari)
    identity.email = "sari@example.fi"
    identity.save()
    return ClientAccount.objects.create(user=User.objects.create_user("sari-asiakas"), client=sari)


@pytest.fixture
def path(sari, aino):
    return open_path(aino, sari)


@pytest.fixture
def thread(path, aino, sari, account):
    return thread_start_by_staff(
        actor=aino, client_id=sari.id, subject="Työkokeilun aloitus", body="Hei Sari, sovitaan."
    )


@pytest.mark.django_db
def test_a_professional_writes_and_the_client_is_told_without_the_content(thread, aino, account):
    assert thread.category == "notes"
    assert thread.owner_organisation_id == aino.organisation_id
    assert Notification.objects.filter(recipient=account.user, kind="message").count() == 1
    assert len(mail.outbox) == 1
    notice = mail.outbox[0]
    assert notice.to == ["sari@example.fi"]
    assert "Hei Sari" not in notice.body
    assert "Työkokeilun" not in notice.body
    assert "Työkokeilun" not in str(notice.subject)
    assert AccessLogEntry.objects.filter(
        object_type="message", action="create", actor_user_id=aino.user_id
    ).exists()


@pytest.mark.django_db
def test_receipts_both_ways(client, thread, aino, account):
    client.force_login(account.user)
    page = client.get(reverse("messaging:own_thread", kwargs={"thread_id": thread.pk}))
    assert page.status_code == 200
    assert "Hei Sari, sovitaan." in main_of(page)
    staff_message = Message.objects.get(thread=thread)
    staff_message.refresh_from_db()
    assert staff_message.read_by_client_at is not None
    answer = client.post(
        reverse("messaging:own_thread", kwargs={"thread_id": thread.pk}), {"body": "Sopii hyvin."}
    )
    assert answer.status_code == 302
    assert Notification.objects.filter(recipient=aino.user, kind="message").exists()
    own = main_of(client.get(reverse("messaging:own_thread", kwargs={"thread_id": thread.pk})))
    assert "Ei vielä luettu" in own
    client.logout()
    login(client, aino)
    page = main_of(client.get(reverse("messaging:thread", kwargs={"thread_id": thread.pk})))
    assert "Sopii hyvin." in page
    assert "Asiakas luki" in page
    reply = Message.objects.get(thread=thread, author__isnull=True)
    assert MessageRead.objects.filter(message=reply, staff_member=aino).exists()
    client.logout()
    client.force_login(account.user)
    own = main_of(client.get(reverse("messaging:own_thread", kwargs={"thread_id": thread.pk})))
    assert "Luettu " in own
    assert "Ei vielä luettu" not in own


def _allowed_reads(staff) -> int:
    return AccessLogEntry.objects.filter(
        actor_user_id=staff.user_id, outcome=Outcome.ALLOWED, object_type="message_thread"
    ).count()


@pytest.mark.django_db
@pytest.mark.parametrize("reader", ["member", "colleague", "other_org_team_consent", "stranger"])
def test_only_the_people_in_the_thread_whom_the_gatekeeper_allows_see_it(
    client, thread, sari, aino, bertta, employment, county, kela, reader
):
    people = {
        "member": aino,
        "colleague": make_person("eero", "Eero Kollega", employment, Role.COORDINATOR),
        # In the client's team, with the client's consent to the notes: still not in the thread.
        "other_org_team_consent": bertta,
        "stranger": make_person("kalle", "Kalle Kela", kela, Role.KELA_EXPERT),
    }
    make_consent(
        sari, disclosing=[employment], receiving=[county], categories=["notes"], recorder=aino
    )
    staff = people[reader]
    # The oracle: the thread shows to the professionals in it who work with the client in the
    # thread's organisation; nobody else, whatever the consents.
    expected = ThreadMember.objects.filter(thread=thread, staff_member=staff).exists()
    before_reads = MessageRead.objects.count()
    before_messages = Message.objects.count()
    login(client, staff)
    page = client.get(reverse("messaging:thread", kwargs={"thread_id": thread.pk}))
    post = client.post(
        reverse("messaging:thread", kwargs={"thread_id": thread.pk}), {"body": "Kurkkaus"}
    )
    if expected:
        assert page.status_code == 200
        assert _allowed_reads(staff) >= 1
        assert post.status_code == 302
    else:
        assert page.status_code == 404
        assert post.status_code == 404
        assert "Hei Sari" not in page.content.decode()
        assert _allowed_reads(staff) == 0
        assert Message.objects.count() == before_messages
        assert MessageRead.objects.count() == before_reads
        assert AccessLogEntry.objects.filter(
            actor_user_id=staff.user_id, outcome=Outcome.DENIED
        ).exists()


@pytest.mark.django_db
def test_a_client_sees_only_their_own_threads(client, thread, employment, aino):
    from conftest import make_client

    other = make_client(organisation=employment, name=("Olli", "Toinen"))
    account = ClientAccount.objects.create(user=User.objects.create_user("olli"), client=other)
    client.force_login(account.user)
    assert (
        client.get(reverse("messaging:own_thread", kwargs={"thread_id": thread.pk})).status_code
        == 404
    )
    assert "Työkokeilun" not in main_of(client.get(reverse("messaging:own_index")))
    refused = client.post(
        reverse("messaging:own_thread", kwargs={"thread_id": thread.pk}), {"body": "Hei"}
    )
    assert refused.status_code == 404
    assert Message.objects.filter(thread=thread).count() == 1


@pytest.mark.django_db
def test_the_client_writes_to_someone_working_with_them_only(client, path, sari, account, aino):
    client.force_login(account.user)
    url = reverse("messaging:own_start")
    page = main_of(client.get(url))
    assert aino.display_name in page
    from conftest import StaffFactory

    outsider = StaffFactory.create(organisation=aino.organisation, role=Role.COORDINATOR)
    forged = client.post(url, {"recipient": outsider.pk, "subject": "Hei", "body": "Viesti"})
    assert forged.status_code == 400
    assert "Valitse vastaanottaja" in main_of(forged)
    empty = client.post(url, {"recipient": aino.pk, "subject": "Hei", "body": "  "})
    assert empty.status_code == 400
    long = client.post(url, {"recipient": aino.pk, "subject": "x" * 151, "body": "Viesti"})
    assert long.status_code == 400
    assert not Thread.objects.exists()
    ok = client.post(url, {"recipient": aino.pk, "subject": "Kysymys", "body": "Milloin?"})
    assert ok.status_code == 302
    thread = Thread.objects.get()
    assert thread.started_by_client
    assert Notification.objects.filter(recipient=aino.user, kind="message").count() == 1


@pytest.mark.django_db
def test_an_away_coordinators_messages_reach_the_deputy(client, path, sari, aino, account):
    deputy = make_person("veera", "Veera Varahenkilö", aino.organisation, Role.COORDINATOR)
    add_to_team(sari, deputy)
    path.deputy = deputy
    path.save(update_fields=["deputy"])
    thread = thread_start_by_staff(actor=aino, client_id=sari.id, subject="Aihe", body="Hei")
    message_reply_by_client(client_id=sari.id, thread_id=thread.pk, body="Ensimmäinen")
    assert not ThreadMember.objects.filter(thread=thread, staff_member=deputy).exists()
    login(client, aino)
    assert client.post(reverse("messaging:away"), {"away_until": "1.1.2000"}).status_code == 400
    ok = client.post(
        reverse("messaging:away"), {"away_until": (TODAY + dt.timedelta(days=7)).isoformat()}
    )
    assert ok.status_code == 302
    message_reply_by_client(client_id=sari.id, thread_id=thread.pk, body="Toinen")
    member = ThreadMember.objects.get(thread=thread, staff_member=deputy)
    assert member.as_deputy
    assert Notification.objects.filter(recipient=deputy.user, kind="message").count() == 1
    client.logout()
    login(client, deputy)
    page = client.get(reverse("messaging:thread", kwargs={"thread_id": thread.pk}))
    assert page.status_code == 200
    assert "Toinen" in main_of(page)
    assert "sijaisena" in main_of(client.get(reverse("messaging:inbox")))


def _rule(members, day, *, deputy_id=2, deputy_organisation_id=10):
    return deputy_to_add(
        members,
        deputy_id=deputy_id,
        deputy_organisation_id=deputy_organisation_id,
        thread_organisation_id=10,
        today=day,
    )


def test_the_deputy_rule():
    away = Member(1, 10, TODAY)
    assert _rule([away], TODAY) == 2
    assert _rule([away], TODAY + dt.timedelta(days=1)) is None
    assert _rule([Member(1, 10, None)], TODAY) is None
    assert _rule([away, Member(2, 10, None)], TODAY) is None
    assert _rule([away], TODAY, deputy_organisation_id=11) is None
    assert _rule([away], TODAY, deputy_id=None) is None


@pytest.mark.django_db
def test_the_export_holds_the_clients_messages(client, thread, account):
    client.force_login(account.user)
    data = client.get(reverse("selfservice:export")).json()
    assert data["messages"][0]["subject"] == "Työkokeilun aloitus"
    assert data["messages"][0]["messages"][0]["text"] == "Hei Sari, sovitaan."


# Attachments ---------------------------------------------------------------------------------

PDF = b"%PDF-1.4\n%%EOF\nTyokokeilun raportti"


@pytest.fixture
def documents(settings, tmp_path):
    settings.DOCUMENT_ROOT = str(tmp_path / "documents")
    settings.DOCUMENT_SCANNER = "tyollisyystalo.documents.tests.fake_scanner.scan"


@pytest.mark.django_db
@pytest.mark.usefixtures("documents")
def test_an_attachment_goes_with_the_thread_and_nowhere_else(client, thread, aino, account):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tyollisyystalo.documents.tests.fake_scanner import EICAR

    login(client, aino)
    url = reverse("messaging:thread", kwargs={"thread_id": thread.pk})
    infected = client.post(
        url, {"body": "Liite", "attachment": SimpleUploadedFile("r.pdf", PDF + EICAR)}
    )
    assert infected.status_code == 400
    assert "haittaohjelma" in main_of(infected)
    assert Message.objects.filter(thread=thread).count() == 1
    sent = client.post(
        url, {"body": "Raportti liitteenä", "attachment": SimpleUploadedFile("r.pdf", PDF)}
    )
    assert sent.status_code == 302
    message = Message.objects.filter(thread=thread).latest("sent_at")
    assert message.attachment is not None
    assert message.attachment.category == "notes"
    # Not a card document: the documents page refuses it; the thread's page serves it.
    assert (
        client.get(
            reverse("documents:download", kwargs={"document_id": message.attachment_id})
        ).status_code
        == 404
    )
    link = reverse(
        "messaging:attachment", kwargs={"thread_id": thread.pk, "message_id": message.pk}
    )
    assert client.get(link).content == PDF
    colleague = make_person("eero", "Eero Kollega", aino.organisation, Role.COORDINATOR)
    client.logout()
    login(client, colleague)
    assert client.get(link).status_code == 404
    client.logout()
    client.force_login(account.user)
    own = reverse(
        "messaging:own_attachment", kwargs={"thread_id": thread.pk, "message_id": message.pk}
    )
    assert client.get(own).content == PDF
