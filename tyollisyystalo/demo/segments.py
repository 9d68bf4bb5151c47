"""The demo region's approved client segments (issue 19 part 8).

Helena, the wellbeing county's manager and analyst, runs the segment analysis on the county's
demo history (drawn from ``demo.latent``'s five kinds), and the steering group's names,
instructions and service processes are given to what was found: each found segment takes the
texts of the kind whose checklist profile it is nearest to (one kind per segment). The fitted
criteria are kept as the analysis proposed them, and the version is approved.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from typing import Any

import numpy as np
from django.db.models import Q
from django.utils import timezone
from scipy.optimize import linear_sum_assignment

from tyollisyystalo.access.client_access import client_access_decide
from tyollisyystalo.catalogue.models import Service
from tyollisyystalo.clients.models import TeamMembership
from tyollisyystalo.demo.latent import BACKGROUND_ITEM, LATENT_CLASSES
from tyollisyystalo.organisations.models import Organisation
from tyollisyystalo.segments.models import (
    SegmentAnalysis,
    SegmentVersion,
)
from tyollisyystalo.segments.services import (
    segment_analysis_run,
    segment_steps_set,
    segment_suggestion_decide,
    segment_update,
    segment_version_approve,
    segment_version_draft,
)
from tyollisyystalo.segments.suggestions import suggestion_live
from tyollisyystalo.staff.models import StaffMember

ANALYST = "helena"
ORGANISATION = "org-hva"
PURPOSE = "Asiakassegmenttien muodostaminen ohjausryhmän hyväksyttäväksi (demo)"

C, S, N, K = "coordinator", "social_worker", "nurse", "job_coach"
P = "psychologist"


def _t(fi: str, sv: str, en: str) -> dict[str, str]:
    return {"fi": fi, "sv": sv, "en": en}


TEXTS: dict[str, dict[str, Any]] = {
    "mental_health": {
        "name": _t(
            "Mielenterveyden haasteet ja pitkä työttömyys",
            "Psykisk ohälsa och lång arbetslöshet",
            "Mental-health challenges and long unemployment",
        ),
        "instructions": _t(
            "Sovi ensitapaamisessa, miten asiakas haluaa pitää yhteyttä, ja tapaa usein mutta "
            "lyhyesti. Ohjaa ensin mielenterveyspalveluihin ja vasta jaksamisen kohentuessa "
            "työhön suuntaaviin palveluihin; IPS-työhönvalmennus sopii rinnalle heti, jos asiakas "
            "haluaa töihin.",
            "Kom överens vid första mötet om hur klienten vill hålla kontakt och träffas ofta men "
            "kort. Hänvisa först till mentalvårdstjänster och till arbetsinriktade tjänster när "
            "orken ökar; IPS-jobbcoachning passar parallellt direkt om klienten vill arbeta.",
            "At the first meeting agree how the client wants to keep in touch, and meet often "
            "but briefly. Refer to mental-health services first and to work-oriented services "
            "as energy returns; IPS job coaching fits alongside at once if the client wants work.",
        ),
        "steps": [
            (
                _t("Psykologin arviointi", "Psykologbedömning", "Psychologist's assessment"),
                P,
                30,
                ["svc-064"],
            ),
            (
                _t("Lyhytterapia tai psykososiaalinen hoito", "Korttidsterapi", "Short therapy"),
                N,
                60,
                ["svc-060", "svc-059"],
            ),
            (
                _t("IPS-työhönvalmennus", "IPS-jobbcoachning", "IPS job coaching"),
                K,
                90,
                ["svc-063"],
            ),
        ],
    },
    "language": {
        "name": _t(
            "Kielitaito ja kotoutuminen",
            "Språkkunskaper och integration",
            "Language skills and integration",
        ),
        "instructions": _t(
            "Varaa tulkki jo ensitapaamiseen ja tarkista kotoutumissuunnitelman tilanne. Yhdistä "
            "kieliopinnot työhön: työelämämentori tai työkokeilu nopeuttaa kielen oppimista.",
            "Boka tolk redan till det första mötet och kontrollera integrationsplanen. Kombinera "
            "språkstudier med arbete: en mentor eller arbetsprövning gör att språket lärs "
            "snabbare.",
            "Book an interpreter for the first meeting and check the integration plan. Combine "
            "language studies with work: a mentor or a work trial speeds up learning the language.",
        ),
        "steps": [
            (
                _t(
                    "Kotoutumissuunnitelman tarkistus",
                    "Integrationsplanen ses över",
                    "Review of the integration plan",
                ),
                C,
                14,
                ["svc-013"],
            ),
            (
                _t("Suomen kielen kurssi", "Finskakurs", "Finnish course"),
                C,
                45,
                ["svc-127", "svc-109"],
            ),
            (
                _t("Työelämämentorointi", "Arbetslivsmentorskap", "Working-life mentoring"),
                K,
                90,
                ["svc-111"],
            ),
        ],
    },
    "health": {
        "name": _t(
            "Terveys rajoittaa työkykyä",
            "Hälsan begränsar arbetsförmågan",
            "Health limits work ability",
        ),
        "instructions": _t(
            "Selvitä työkyky ajoissa: terveystarkastus ja työkyvyn arviointi ennen työhön "
            "suuntaavia palveluja. Tarkista Kelan ammatillisen kuntoutuksen edellytykset ja "
            "muista osatyökyvyttömyyseläkkeen mahdollisuus.",
            "Utred arbetsförmågan i tid: hälsokontroll och bedömning av arbetsförmågan före "
            "arbetsinriktade tjänster. Kontrollera villkoren för FPA:s yrkesinriktade "
            "rehabilitering.",
            "Assess work ability early: a health check and a work-ability assessment before "
            "work-oriented services. Check the conditions for Kela's vocational rehabilitation.",
        ),
        "steps": [
            (
                _t("Työttömän terveystarkastus", "Hälsokontroll för arbetslösa", "Health check"),
                N,
                30,
                ["svc-034"],
            ),
            (
                _t(
                    "Työ- ja toimintakyvyn arviointi",
                    "Bedömning av arbetsförmågan",
                    "Work-ability assessment",
                ),
                C,
                60,
                ["svc-045", "svc-044"],
            ),
            (
                _t(
                    "Kelan ammatillinen kuntoutus",
                    "FPA:s yrkesinriktade rehabilitering",
                    "Kela's vocational rehabilitation",
                ),
                C,
                120,
                ["svc-074"],
            ),
        ],
    },
    "young": {
        "name": _t(
            "Nuori, vähän työkokemusta",
            "Ung, lite arbetserfarenhet",
            "Young, little work experience",
        ),
        "instructions": _t(
            "Tapaa nuori siellä, missä hän on, ja sovi yksi asia kerrallaan. Ohjaamo ja "
            "työpaja sopivat ensimmäisiksi askeliksi; tarkista oppimisen tuen tarve ennen "
            "koulutukseen ohjaamista.",
            "Träffa den unga där hen är och kom överens om en sak i taget. Navigatorn och "
            "verkstaden passar som första steg; kontrollera behovet av stöd i lärandet.",
            "Meet the young person where they are and agree one thing at a time. Ohjaamo and the "
            "workshop fit as first steps; check the need for learning support before education.",
        ),
        "steps": [
            (
                _t("Ohjaamon ohjaus", "Navigatorns vägledning", "Ohjaamo guidance"),
                C,
                14,
                ["svc-025"],
            ),
            (
                _t("Nuorten työpaja", "Ungdomsverkstad", "Youth workshop"),
                K,
                45,
                ["svc-091", "svc-022"],
            ),
            (
                _t(
                    "Koulutukseen valmentava koulutus",
                    "Handledande utbildning",
                    "Preparatory education",
                ),
                C,
                120,
                ["svc-125"],
            ),
        ],
    },
    "money_housing": {
        "name": _t(
            "Talouden ja asumisen vaikeudet",
            "Ekonomiska svårigheter och boende",
            "Money and housing difficulties",
        ),
        "instructions": _t(
            "Selvitä ensin, onko asuminen turvattu ja onko rahaa ruokaan. Talous- ja "
            "velkaneuvonta ja sosiaalityö ennen työhön suuntaavia palveluja; sovi, kuka hoitaa "
            "etuushakemukset.",
            "Utred först om boendet är tryggat och om det finns pengar till mat. Ekonomi- och "
            "skuldrådgivning och socialt arbete före arbetsinriktade tjänster.",
            "First find out whether housing is secure and there is money for food. Debt advice "
            "and social work before work-oriented services; agree who handles benefit claims.",
        ),
        "steps": [
            (
                _t("Aikuissosiaalityö", "Socialt arbete för vuxna", "Adult social work"),
                S,
                14,
                ["svc-047"],
            ),
            (
                _t("Talous- ja velkaneuvonta", "Ekonomi- och skuldrådgivning", "Debt advice"),
                S,
                45,
                ["svc-087", "svc-105"],
            ),
            (_t("Asumisneuvonta", "Boenderådgivning", "Housing advice"), S, 30, ["svc-053"]),
        ],
    },
}


def _nearest_kinds(analysis: SegmentAnalysis) -> dict[str, str]:
    """Segment code → the kind whose checklist prevalences are nearest (one kind each)."""
    candidates = analysis.results_json["candidates"]
    items = sorted(
        {row[0] for c in candidates for row in c["profile"] if row[0].startswith("checklist.")}
    )
    found = np.asarray(
        [
            [next((row[2] or 0.0) for row in c["profile"] if row[0] == item) for item in items]
            for c in candidates
        ]
    )
    stated = np.asarray(
        [[k.items.get(i.partition(".")[2], BACKGROUND_ITEM) for i in items] for k in LATENT_CLASSES]
    )
    cost = np.abs(found[:, None, :] - stated[None, :, :]).sum(axis=2)
    rows, cols = linear_sum_assignment(cost)
    return {candidates[r]["code"]: LATENT_CLASSES[c].code for r, c in zip(rows, cols, strict=True)}


def seed_segments() -> Counter[str]:
    """Once: an analysis, a version named and furnished by the steering group, approved."""
    organisation = Organisation.objects.filter(code=ORGANISATION).first()
    analyst = StaffMember.objects.filter(user__username=ANALYST).first()
    if organisation is None or analyst is None:
        return Counter()
    if SegmentAnalysis.objects.filter(organisation=organisation).exists():
        return Counter()
    analysis = segment_analysis_run(actor=analyst, purpose=PURPOSE, ks=range(2, 9), resamples=20)
    version = segment_version_draft(actor=analyst, analysis=analysis)
    kinds = _nearest_kinds(analysis)
    catalogue = set(Service.objects.values_list("source_id", flat=True))  # imported or not
    for segment in version.segments.all():
        # A segment the stated kinds do not explain (when the analysis finds more than five)
        # gets the steering group's general texts, so that the version can be approved.
        texts = TEXTS.get(kinds.get(segment.code, "")) or _general(segment.code)
        segment_update(
            actor=analyst,
            segment=segment,
            names=texts["name"],
            instructions=texts["instructions"],
            rules=segment.rules_json,
        )
        segment_steps_set(
            actor=analyst,
            segment=segment,
            steps=[
                {
                    "title": title,
                    "responsible": role,
                    "due_days": days,
                    "services": [sid for sid in services if sid in catalogue],
                }
                for title, role, days, services in texts["steps"]
            ],
        )
    segment_version_approve(actor=analyst, version=version)
    decisions = seed_segment_decisions(version)
    return Counter(
        {
            "segment_versions": 1,
            "segments": version.segments.count(),
            "segment_decisions": decisions,
        }
    )


def _general(code: str) -> dict[str, Any]:
    n = code.removeprefix("s")
    return {
        "name": _t(f"Muut tuen tarpeet {n}", f"Övriga stödbehov {n}", f"Other support needs {n}"),
        "instructions": _t(
            "Kartoita tilanne asiakkaan kanssa ja sovi palveluista yksilöllisesti.",
            "Kartlägg situationen med klienten och kom överens om tjänster individuellt.",
            "Map the situation with the client and agree on services one by one.",
        ),
        "steps": [
            (
                _t("Ensitapaaminen ja tilanteen kartoitus", "Första mötet", "First meeting"),
                C,
                14,
                [],
            )
        ],
    }


APPROVED_MONTHS_AGO = 15  # the steering group approved the segments this long before today
CHANGED_SHARE = 0.1  # of decisions, a coordinator chose otherwise than the rules
CHANGE_REASON = "Tapaamisessa asiakkaan tilanne osoittautui toiseksi kuin kirjatuista tiedoista."


def seed_segment_decisions(version: SegmentVersion, *, seed: int = 19) -> int:
    """The county's coordinators' decisions since the approval, one per client whose path was
    under way then, made through the decision service as a coordinator makes them (mostly
    confirming the suggestion, a tenth choosing otherwise with a reason), each on a day the
    path was under way."""
    today = timezone.localdate()
    approved_on = today - dt.timedelta(days=APPROVED_MONTHS_AGO * 30)
    moment = timezone.make_aware(dt.datetime.combine(approved_on, dt.time(10)))
    SegmentVersion.objects.filter(pk=version.pk).update(approved_at=moment, created_at=moment)
    SegmentAnalysis.objects.filter(pk=version.analysis_id).update(made_at=moment)
    segments = list(version.segments.order_by("position"))
    rng = random.Random(seed)  # noqa: S311 - demo data
    leads = (
        TeamMembership.objects.filter(
            is_coordinator=True,
            case__owner_organisation_id=version.organisation_id,
            case__referred_on__lte=today,
        )
        .filter(Q(case__closed_on__isnull=True) | Q(case__closed_on__gt=approved_on))
        .select_related("staff_member", "case")
        .order_by("case__referred_on", "case_id")
    )
    made = 0
    seen: set[Any] = set()
    for lead in leads:
        case = lead.case
        if case is None or case.client_id in seen or not lead.staff_member.is_active:
            continue
        seen.add(case.client_id)
        first = max(approved_on, case.started_on or case.referred_on)
        last = min(case.closed_on or today, today)
        if last < first:
            continue
        day = first + dt.timedelta(days=rng.randint(0, (last - first).days))
        at = timezone.make_aware(dt.datetime.combine(day, dt.time(9 + rng.randint(0, 6))))
        at = min(at, timezone.now())
        if lead.started_at is None or lead.started_at > at or (lead.ended_at or at) < at:
            continue  # not leading the path that day
        access = client_access_decide(
            staff=lead.staff_member, client_id=case.client_id, purpose="segment suggestion", at=at
        )
        live = suggestion_live(access, day)
        if live is None:
            break
        suggested = live.suggested
        chosen, reason = suggested, ""
        if rng.random() < CHANGED_SHARE:
            chosen = rng.choice([None, *(s for s in segments if s != suggested)])
            reason = CHANGE_REASON
        segment_suggestion_decide(
            actor=lead.staff_member,
            client_id=case.client_id,
            segment_id=chosen.pk if chosen is not None else None,
            reason=reason,
            at=at,
        )
        made += 1
    return made
