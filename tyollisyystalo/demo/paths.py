"""Demo service paths: Klaus's walk (seed 001) and paths in every state for other clients.

Everything goes through the same services as the pages, dated in the past, so the demo shows
the events, deadlines, logs and checks a real path would have. Run after the catalogue import
(the plan and the referral use catalogue services). A second run adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tyollisyystalo.appointments.services import appointment_book
from tyollisyystalo.cases.consultations import (
    consultation_create,
    consultation_decision_record,
    consultation_item_add,
    followup_task_add,
    followup_task_done,
)
from tyollisyystalo.cases.models import Case, CaseDeadline, CaseOutcome
from tyollisyystalo.cases.services import (
    case_open,
    case_outcome_record,
    case_review_record,
    case_transition,
)
from tyollisyystalo.cases.team import team_invitation_answer, team_member_invite
from tyollisyystalo.catalogue.models import Service
from tyollisyystalo.clients.categories import DataCategory as C
from tyollisyystalo.clients.hetu import format_hetu
from tyollisyystalo.clients.models import Client, ClientIdentity
from tyollisyystalo.clients.selectors import hetu_lookup_hash
from tyollisyystalo.clients.services import (
    IdentityInput,
    client_entry_create,
    client_register,
    first_meeting_record,
)
from tyollisyystalo.consents.models import ConsentMethod
from tyollisyystalo.consents.services import ConsentInput, consent_record
from tyollisyystalo.demo.coaching import seed_coaching
from tyollisyystalo.demo.history import seed_history
from tyollisyystalo.demo.segments import seed_segments
from tyollisyystalo.demo.subcontracting import seed_subcontracting
from tyollisyystalo.demo.surveys import seed_surveys
from tyollisyystalo.documents.services import document_store
from tyollisyystalo.instruments.models import InstrumentSuggestion, Respondent
from tyollisyystalo.instruments.services import instrument_response_record, suggestion_decide
from tyollisyystalo.messaging.services import (
    message_reply_by_client,
    messages_read_by_client,
    thread_start_by_staff,
)
from tyollisyystalo.organisations.models import Municipality
from tyollisyystalo.plans.services import (
    Response,
    plan_acknowledge,
    plan_create,
    plan_respond_for_organisation,
    plan_revise,
)
from tyollisyystalo.referrals.services import referral_answer, referral_complete, referral_send
from tyollisyystalo.selfservice.models import ClientAccount
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.worktrials.services import feedback_link_create, feedback_submit

KLAUS_HETU = format_hetu(dt.date(1988, 4, 12), 934)
KLAUS_USERNAME = "klaus"


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _staff(username: str) -> StaffMember:
    return StaffMember.objects.select_related("organisation").get(user__username=username)


def seed_paths() -> Counter[str]:
    counts: Counter[str] = Counter()
    if not ClientIdentity.objects.filter(hetu_hash=hetu_lookup_hash(KLAUS_HETU)).exists():
        seed_klaus()
        counts["klaus"] = 1
    counts.update(seed_path_states())
    klaus_case = (
        Case.objects.filter(client__identity__hetu_hash=hetu_lookup_hash(KLAUS_HETU))
        .order_by("created_at")
        .first()
    )
    counts.update(seed_coaching(klaus_case=klaus_case))
    counts.update(seed_surveys(klaus_case=klaus_case))
    # After the coaching demo, which runs only while no coaching period exists.
    counts.update(seed_history())
    counts.update(seed_segments())  # on the history's clients
    counts.update(seed_subcontracting())
    return counts


def seed_klaus() -> Client:
    """Klaus: via employment services with a Kykyviisari work capacity of 5, gets a coordinator,
    a health check, a physician's statement, a work trial with the host's feedback, finds a
    job, and his path stays open until the next interim review."""
    today = timezone.localdate()
    eero, aino = _staff("eero"), _staff("aino")
    bertta, lauri, cecilia = _staff("bertta"), _staff("lauri"), _staff("cecilia")
    employment = aino.organisation
    hva = bertta.organisation
    kela = cecilia.organisation
    start = today - dt.timedelta(days=213)  # first meeting: the 9-month review is still ahead

    def day(offset: int) -> dt.date:
        return start + dt.timedelta(days=offset)

    klaus = client_register(
        actor=eero,
        data=IdentityInput(
            first_names="Klaus",
            last_name="Kivinen",
            hetu=KLAUS_HETU,
            phone="040 000 0934",
            email="klaus.kivinen@example.fi",
            address="Koivukuja 3 A 4, Esimerkkilä",
            municipality=Municipality.objects.get(code="X01"),
        ),
        at=_at(day(-12)),
    )
    kyky = instrument_response_record(
        actor=eero,
        client_id=klaus.id,
        instrument_key="kykyviisari",
        answers={
            "work_and_functional_capacity": "5",
            "mental_wellbeing": "6.5",
            "social_participation": "5.5",
            "physical_functioning": "6",
            "skills": "7.5",
            "everyday_life": "7",
        },
        answered_on=day(-12),
        respondent=Respondent.PROFESSIONAL,
        at=_at(day(-12), 11),
    )
    suggestion = InstrumentSuggestion.objects.get(response=kyky)
    suggestion_decide(
        actor=eero,
        suggestion_id=suggestion.pk,
        client_id=klaus.id,
        accept=True,
        note="Klaus haluaa tavata työkykykoordinaattorin.",
        at=_at(day(-12), 12),
    )
    case = case_open(
        actor=aino,
        client_id=klaus.id,
        entry_route="employment_services",
        referred_on=day(-10),
        coordinator=aino,
        referrer_organisation=employment,
        referrer_name=eero.display_name,
        reason="Kykyviisarin työ- ja toimintakyky 5. Työllistymistä vaikeuttavat selkäoireet.",
        at=_at(day(-10)),
    )
    case_transition(actor=aino, case_id=case.id, to_status="intake", on=start, at=_at(start))
    first_meeting_record(
        actor=aino,
        client_id=klaus.id,
        entry_date=start,
        sections={
            "strengths": "Ahkera ja käsistään taitava. Kymmenen vuoden kokemus rakennustöistä.",
            "resources": "Puoliso ja kaksi lasta. Käy kalassa ja korjaa naapureiden pyöriä.",
            "situation": "Työttömänä kaksi vuotta. Talous tiukka, asunto vuokralla.",
            "wishes": "Haluaa takaisin remonttitöihin, mutta ei raskaimpiin nostoihin.",
            "limitations": "Selkä kipeytyy pitkissä nostoissa. Uni katkonaista.",
            "next_steps": "Terveystarkastus, lääkärin arvio ja työkokeilu keväällä.",
        },
        icf_codes="d850.3 b280.2 e310+3",
        at=_at(start, 11),
    )
    instrument_response_record(
        actor=aino,
        client_id=klaus.id,
        instrument_key="self_assessment",
        answers={
            "terveys": 5,
            "mieli": 6,
            "tyokyky": 5,
            "osaaminen": 7,
            "tyo": 4,
            "talous": 4,
            "asuminen": 8,
            "arki": 7,
            "osallisuus": 6,
        },
        answered_on=start,
        respondent=Respondent.CLIENT,
        at=_at(start, 12),
    )
    consent_record(
        actor=aino,
        client_id=klaus.id,
        data=ConsentInput(
            disclosing_organisation_ids=frozenset({employment.pk, hva.pk}),
            receiving_organisation_ids=frozenset({employment.pk, hva.pk, kela.pk}),
            categories=frozenset(
                {C.IDENTITY, C.HEALTH, C.ASSESSMENTS, C.PLAN, C.EDUCATION_WORK, C.SOCIAL}
            ),
            purpose="Työkyvyn tuki ja yhteinen suunnitelma",
            method=ConsentMethod.WRITTEN_FORM,
            valid_from=start,
            valid_until=start + dt.timedelta(days=730),
            form_reference="Kela Y100",
        ),
        at=_at(start, 13),
    )
    for person, role in (
        (bertta, "Työttömien terveystarkastus"),
        (lauri, "Lääkärinlausunto"),
        (cecilia, "Kelan kuntoutus"),
    ):
        invitation = team_member_invite(
            actor=aino,
            case_id=case.id,
            staff_member=person,
            role_in_case=role,
            at=_at(day(2)),
        )
        team_invitation_answer(
            actor=person, membership_id=invitation.pk, accept=True, at=_at(day(3))
        )
    meeting = consultation_create(
        actor=aino, held_on=day(3), title="Työkykytiimi", at=_at(day(3), 9)
    )
    item = consultation_item_add(
        actor=aino,
        consultation_id=meeting.pk,
        case_id=case.id,
        question="Miten selkäoireet huomioidaan työhön paluussa?",
        at=_at(day(3), 9),
    )
    meeting.attendees.add(bertta, lauri, cecilia)
    consultation_decision_record(
        actor=aino,
        item_id=item.pk,
        decisions="Terveystarkastus ja lääkärin arvio ennen työkokeilua.",
        at=_at(day(3), 10),
    )
    task = followup_task_add(
        actor=aino,
        item_id=item.pk,
        description="Varaa työttömien terveystarkastus",
        responsible=bertta,
        due_on=day(10),
        at=_at(day(3), 10),
    )
    followup_task_done(actor=bertta, task_id=task.pk, at=_at(day(6)))
    health_check = Service.objects.filter(source_id="svc-034").first()
    referral = referral_send(
        actor=aino,
        case_id=case.id,
        reason="Työttömien terveystarkastus ja työkyvyn arvio selkäoireiden vuoksi.",
        categories=[C.EDUCATION_WORK, C.ASSESSMENTS],
        service=health_check,
        receiving_organisation=None if health_check else hva,
        at=_at(day(4)),
    )
    referral_answer(actor=bertta, referral_id=referral.id, accept=True, at=_at(day(6)))
    client_entry_create(
        actor=bertta,
        client_id=klaus.id,
        category=C.HEALTH,
        entry_date=day(14),
        title="Työttömien terveystarkastus",
        body="Tarkastus 90 min ja yhteinen palaute 30 min. Selkäoireet rasituksessa.",
        icf_codes="b280.2 d430.2",
        at=_at(day(14)),
    )
    referral_complete(
        actor=bertta,
        referral_id=referral.id,
        result="Terveystarkastus tehty. Ohjattu lääkärille työkyvyn arvioon.",
        at=_at(day(14), 14),
    )
    client_entry_create(
        actor=lauri,
        client_id=klaus.id,
        category=C.HEALTH,
        entry_date=day(28),
        title="Lääkärinlausunto",
        body="Työkykyinen kevyempään rakennus- ja remonttityöhön; ei toistuvia yli 15 kg nostoja.",
        icf_codes="d430.2 d850.2",
        at=_at(day(28)),
    )
    document_store(
        client_id=klaus.id,
        owner_organisation_id=lauri.organisation_id,
        category=C.HEALTH,
        data=demo_pdf(
            "Lääkärinlausunto (B)",
            "Työkykyinen kevyempään rakennus- ja remonttityöhön; ei toistuvia yli 15 kg nostoja.",
        ),
        filename="laakarinlausunto.pdf",
        title="Lääkärinlausunto (B)",
        uploaded_by=lauri,
        at=_at(day(28), 11),
    )
    case_transition(actor=aino, case_id=case.id, to_status="active", on=day(30), at=_at(day(30)))
    trial = Service.objects.filter(source_id="svc-003").first()
    goals = [
        {
            "id": "g1",
            "text": "Työkokeilu remonttityössä keväällä",
            "area": "tyo",
            "measure": "Työkokeilupäiviä viikossa",
            "target": "4 päivää viikossa",
            "follow_up_on": (day(120)).isoformat(),
        },
        {
            "id": "g2",
            "text": "Selkä kestää työpäivän",
            "area": "terveys",
            "measure": "Oma arvio terveydestä (0–10)",
            "target": "7",
            "follow_up_on": (day(90)).isoformat(),
        },
    ]
    actions = [
        {
            "id": "a1",
            "goal": "g1",
            "what": "Työkokeilupaikan etsiminen remonttiyrityksestä",
            "responsible_kind": "person",
            "responsible": aino.display_name,
            "service_id": str(trial.pk) if trial else "",
            "due_on": day(75).isoformat(),
            "status": "done",
        },
        {
            "id": "a2",
            "goal": "g2",
            "what": "Fysioterapeutin ohjaama selkäharjoittelu",
            "responsible_kind": "organisation",
            "responsible": hva.name,
            "organisation_id": str(hva.pk),
            "due_on": day(90).isoformat(),
            "status": "ongoing",
        },
        {
            "id": "a4",
            "goal": "g2",
            "what": "Ammatillisen kuntoutuksen selvitys",
            "responsible_kind": "organisation",
            "responsible": kela.name,
            "organisation_id": str(kela.pk),
            "due_on": day(100).isoformat(),
            "status": "planned",
        },
        {
            "id": "a3",
            "goal": "g1",
            "what": "Oma työnhaku ja CV:n päivitys",
            "responsible_kind": "client",
            "due_on": day(60).isoformat(),
            "status": "done",
        },
    ]
    plan = plan_create(
        actor=aino,
        case_id=case.id,
        plan_type="client",
        started_on=day(30),
        content={
            "summary": "Klaus haluaa takaisin remonttitöihin.",
            "goals": goals,
            "actions": actions,
        },
        language="fi",
        at=_at(day(30), 11),
    )
    plan_acknowledge(
        actor=aino,
        plan_id=plan.id,
        number=1,
        party="client",
        method="signature",
        acknowledged_on=day(30),
        person_name="Klaus Kivinen",
        at=_at(day(30), 12),
    )
    # Kela and the county acknowledge their parts themselves (ADR 0028).
    for n, person in enumerate((cecilia, bertta)):
        plan_respond_for_organisation(
            actor=person,
            plan_id=plan.id,
            number=1,
            response=Response.ACKNOWLEDGE,
            at=_at(day(31 + n), 10),
        )
    _link, token = feedback_link_create(
        actor=aino,
        case_id=case.id,
        trial_label="Klaus, remonttityön työkokeilu",
        host_name="Esimerkkilän Rakennus ja Remontti Oy",
        at=_at(day(95)),
    )
    feedback_submit(
        token=token,
        answers={
            "respondent_name": "Rauno Rakentaja",
            "attendance": "5",
            "pace": "4",
            "quality": "4",
            "learning": "5",
            "instructions": "4",
            "social": "5",
            "safety": "4",
            "strengths": "Huolellinen, oppii nopeasti, tulee toimeen koko porukan kanssa.",
            "adjustments": "Nostoapuvälineet ja kaksi lyhyttä taukoa päivässä.",
            "free_text": "Voisimme palkata Klausin palkkatuella.",
        },
        at=_at(day(118)),
    )
    user, _created = get_user_model().objects.get_or_create(username=KLAUS_USERNAME)
    user.set_unusable_password()
    user.save()
    ClientAccount.objects.get_or_create(user=user, defaults={"client": klaus})
    # The goal changed (Klaus's part) and so did the county's back training (its part): the
    # version waits for both; Kela's part did not change, so its acknowledgement carries forward.
    back_training = {
        **actions[1],
        "what": "Fysioterapeutin ohjaama selkäharjoittelu työpaikan nostoihin",
        "due_on": day(160).isoformat(),
    }
    plan_revise(
        actor=aino,
        plan_id=plan.id,
        base_number=1,
        content={
            "summary": "Työkokeilu onnistui. Tavoitteena palkkatuettu työ remonttiyrityksessä.",
            "goals": [
                {
                    **goals[0],
                    "text": "Palkkatuettu työ remonttiyrityksessä",
                    "target": "Työsopimus",
                },
                goals[1],
            ],
            "actions": [actions[0], back_training, *actions[2:]],
        },
        note="Työkokeilun jälkeen tavoite tarkentui.",
        at=_at(day(130)),
    )
    for n, deadline in enumerate(
        CaseDeadline.objects.filter(case=case, kind="interim_review").order_by("due_on")[:3]
    ):
        case_review_record(
            actor=aino,
            case_id=case.id,
            deadline_id=deadline.pk,
            held_on=deadline.due_on,
            summary=[
                "Terveystarkastus ja lääkärin arvio tehty. Suunnitelma laaditaan.",
                "Työkokeilupaikka löytyi. Selkä kestää kevyemmät työt.",
                "Työkokeilu onnistui hyvin. Työnantaja harkitsee palkkaamista.",
            ][n],
            at=_at(deadline.due_on, 14),
        )
    for offset, score in ((120, 6), (193, 7)):
        instrument_response_record(
            actor=aino,
            client_id=klaus.id,
            instrument_key="self_assessment",
            answers={
                "terveys": score,
                "mieli": 7,
                "tyokyky": score,
                "osaaminen": 8,
                "tyo": score,
                "talous": 5,
                "asuminen": 8,
                "arki": 8,
                "osallisuus": 7,
            },
            answered_on=day(offset),
            respondent=Respondent.CLIENT,
            at=_at(day(offset), 12),
        )
    instrument_response_record(
        actor=aino,
        client_id=klaus.id,
        instrument_key="work_ability_score",
        answers={"work_ability": 7},
        answered_on=day(193),
        at=_at(day(193), 13),
    )
    case_outcome_record(
        actor=aino,
        case_id=case.id,
        outcome=CaseOutcome.JOB_OR_STUDY,
        on=day(199),
        reason="Työsopimus remonttiyritykseen, palkkatuki 70 %.",
        at=_at(day(199)),
    )
    _klaus_messages(klaus, aino)
    _klaus_appointment(case, aino)
    return klaus


def demo_pdf(title: str, text: str) -> bytes:
    """A one-page PDF for the demo's documents (WeasyPrint, as the plans' PDFs)."""
    from weasyprint import HTML  # type: ignore[import-untyped]

    return bytes(HTML(string=f"<h1>{title}</h1><p>{text}</p>").write_pdf())


def _klaus_appointment(case: Case, aino: StaffMember) -> None:
    """The meeting Klaus and aino agreed on in their thread: next week, before the review."""
    start = timezone.make_aware(
        dt.datetime.combine(timezone.localdate() + dt.timedelta(days=6), dt.time(10))
    )
    appointment_book(
        actor=aino,
        case_id=case.pk,
        kind="review",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        place="Esimerkkilän työllisyyspalvelut, Kauppakatu 1, 2. kerros",
        remote_url="https://video.example.fi/tapaaminen/klaus",
        purpose="Käydään läpi, miten uusi työ on lähtenyt käyntiin, ja sovitaan väliarviosta.",
    )


def _klaus_messages(klaus: Client, aino: StaffMember) -> None:
    """A thread between Klaus and his coordinator: her question, his answer, both read."""
    now = timezone.now()
    thread = thread_start_by_staff(
        actor=aino,
        client_id=klaus.id,
        subject="Työsopimuksen jälkeen",
        body=(
            "Hei Klaus! Onnittelut uudesta työstä. Miten ensimmäiset viikot ovat sujuneet? "
            "Sovitaanko seuraava tapaaminen ennen väliarviota?"
        ),
        upload=SimpleUploadedFile(
            "tyosopimus-muistio.pdf",
            demo_pdf(
                "Muistio: työn aloitus",
                "Palkkatuki 70 %, työaika 30 h/viikko, nostoapuvälineet käytössä.",
            ),
        ),
        at=now - dt.timedelta(days=3, hours=2),
    )
    messages_read_by_client(thread=thread, at=now - dt.timedelta(days=2, hours=20))
    message_reply_by_client(
        client_id=klaus.id,
        thread_id=thread.pk,
        body="Hyvin on mennyt, selkä on kestänyt. Tapaaminen sopii, vaikka ensi viikolla.",
        at=now - dt.timedelta(days=2, hours=19),
    )


# The states of the other demo paths, in turn: some just referred, some in intake, most active,
# and every real ending (seed 001's three and the others).
STATES = [
    "referred",
    "intake",
    "active",
    "active",
    "active",
    CaseOutcome.JOB_OR_STUDY,
    CaseOutcome.INDEPENDENT,
    CaseOutcome.MOVED_TO_TYP,
    CaseOutcome.DECLINED,
    CaseOutcome.NO_CONTACT,
    CaseOutcome.MOVED_AWAY,
    CaseOutcome.PENSION,
    CaseOutcome.OTHER,
]
PATHS_PER_ORGANISATION = 26
REVIEW_SUMMARIES = [
    "Tavoitteet etenevät. Jatketaan sovitusti.",
    "Arki sujuu paremmin. Seuraavaksi työkokeilun selvittely.",
    "Tilanne ennallaan. Tiimi kokoontuu ennen seuraavaa arviointia.",
]


def seed_path_states(*, seed: int = 2026) -> Counter[str]:
    """Paths for the first demo clients of each employment organisation, in every state."""
    counts: Counter[str] = Counter()
    today = timezone.localdate()
    coordinators = {s.organisation_id: s for s in (_staff("aino"), _staff("pasi"), _staff("jaana"))}
    for organisation_id, coordinator in coordinators.items():
        clients = list(
            Client.objects.filter(registered_by_id=organisation_id)
            .exclude(identity__hetu_hash=hetu_lookup_hash(KLAUS_HETU))
            .order_by("identity__hetu_hash")[:PATHS_PER_ORGANISATION]
        )
        have = set(Case.objects.filter(client__in=clients).values_list("client_id", flat=True))
        for index, client in enumerate(clients):
            if client.id in have:
                continue
            rng = random.Random(f"{seed}:path:{client.id}")  # noqa: S311 - demo data
            state = STATES[index % len(STATES)]
            _path(client, coordinator, state, rng, today)
            counts[f"path_{state}"] += 1
    return counts


def _path(
    client: Client, coordinator: StaffMember, state: str, rng: random.Random, today: dt.date
) -> None:
    """One path, dated in the past; recorded now (the demo clients' team links are new)."""
    route = rng.choice(["employment_services", "social_health", "self", "portal"])
    started = today - dt.timedelta(days=rng.randrange(20, 330))
    referred = started - dt.timedelta(days=rng.randrange(3, 20))
    case = case_open(
        actor=coordinator,
        client_id=client.id,
        entry_route=route,
        referred_on=referred,
        coordinator=coordinator,
    )
    if state == "referred":
        return
    case_transition(actor=coordinator, case_id=case.id, to_status="intake", on=started)
    if state == "intake":
        return
    active_on = started + dt.timedelta(days=14)
    if active_on > today:
        active_on = today
    case_transition(actor=coordinator, case_id=case.id, to_status="active", on=active_on)
    # Most reviews that fell due were held; a few are left overdue for the worklist.
    for deadline in CaseDeadline.objects.filter(
        case=case, due_on__lt=today - dt.timedelta(days=3)
    ).order_by("due_on"):
        if rng.random() < 0.85:
            case_review_record(
                actor=coordinator,
                case_id=case.id,
                deadline_id=deadline.pk,
                held_on=deadline.due_on,
                summary=rng.choice(REVIEW_SUMMARIES),
            )
    if rng.random() < 0.4 and state == "active":
        plan_create(
            actor=coordinator,
            case_id=case.id,
            plan_type="activation",
            started_on=active_on,
            content={
                "goals": [{"text": "Arjen rytmi ja kuntouttava työtoiminta", "area": "arki"}],
                "actions": [{"what": "Kuntouttava työtoiminta kolmena päivänä viikossa"}],
            },
        )
    if state == "active":
        return
    closed_on = min(today, active_on + dt.timedelta(days=rng.randrange(30, 200)))
    case_transition(
        actor=coordinator,
        case_id=case.id,
        to_status="closed",
        on=closed_on,
        outcome=state,
    )
