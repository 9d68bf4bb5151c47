"""Demo surveys (issue 15): answers for the last four quarters, and an open survey for Klaus.

Each employment organisation, the wellbeing county and the TYP service get enough client
answers per quarter that their results show (five or more), with a few from a neighbouring
municipality, so the per-municipality table shows the small-number rule ("< 5"). The
coaching organisations get employer feedback with free texts; every organisation with staff
gets the staff's cooperation answers in the first month of each half-year. Closed demo paths
already invited their clients when they closed (the moment itself); Klaus's open path is past
six months, so he has the mid-path survey on his own pages.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

from django.utils import timezone

from tyollisyystalo.cases.models import Case
from tyollisyystalo.organisations.models import Municipality, Organisation
from tyollisyystalo.surveys.definitions import Survey, survey_current
from tyollisyystalo.surveys.models import (
    CLIENT_SATISFACTION,
    COOPERATION,
    EMPLOYER_FEEDBACK,
    WORK_ABILITY_CHANGE,
    Answer,
)
from tyollisyystalo.surveys.services import answer_record, path_six_months_invite

CLIENT_ORGANISATIONS = (
    "org-esimerkkila-tyollisyys",
    "org-pohjala-tyollisyys",
    "org-jarvikyla-tyollisyys",
    "org-hva",
    "org-typ",
)
# Job coaching's employers: the NGOs' coaching and the employment services' own (työhönvalmennus),
# whose manager (mikko) then sees the employers' free texts.
COACHING_ORGANISATIONS = ("org-askelma", "org-klubitalo", "org-esimerkkila-tyollisyys")
# Per quarter and organisation: answers from the municipalities it serves, and from a
# neighbouring one (fewer than five: hidden in the table by municipality).
SATISFACTION_HOME, SATISFACTION_NEIGHBOUR = 12, 3
WORK_ABILITY_ANSWERS = 8
EMPLOYER_ANSWERS = 6
COOPERATION_ANSWERS = 7
# Weighted so that the means land near seed 002's results (8.5 on 4–10, 3.6 on 1–5).
OVERALL = [6, 7, 8, 8, 8, 9, 9, 9, 9, 10, 10, 10]
AGREE = [2, 3, 3, 4, 4, 4, 4, 5, 5]
EMPLOYER_TEXTS = [
    "Valmentaja vastasi aina nopeasti.",
    "Perehdytykseen olisi tarvittu enemmän aikaa.",
    "Hyvä kokemus, otamme mielellämme uudelleen.",
    "Työvuorojen sopiminen vaati joustoa molemmin puolin.",
    "",
    "",
]


def quarters_back(today: dt.date, count: int = 4) -> list[list[dt.date]]:
    """The months (first days) of the last ``count`` quarters, up to this month."""
    this_month = today.replace(day=1)
    first = this_month.replace(month=(this_month.month - 1) // 3 * 3 + 1)
    found = []
    for _n in range(count):
        months = [first.replace(month=first.month + m) for m in range(3)]
        found.append([m for m in months if m <= this_month])
        first = (first - dt.timedelta(days=1)).replace(day=1)
        first = first.replace(month=(first.month - 1) // 3 * 3 + 1)
    return found


def _answers(survey: Survey, rng: random.Random) -> dict[str, object]:
    values: dict[str, object] = {}
    for item in survey.items:
        if item.kind == "scale":
            pool = OVERALL if item.minimum == 4 else AGREE
            if item.minimum == 0:
                pool = list(range(3, 9))
            values[item.key] = rng.choice(pool)
        elif item.kind == "yesno":
            values[item.key] = rng.random() < 0.3
        else:
            values[item.key] = rng.choice(EMPLOYER_TEXTS)
    if survey.key == WORK_ABILITY_CHANGE:
        values["at_start"] = max(0, int(str(values["now"])) - rng.choice([0, 1, 1, 2, 3]))
    return values


def _write(
    survey: Survey,
    organisation: Organisation,
    municipality: Municipality | None,
    months: list[dt.date],
    count: int,
    rng: random.Random,
) -> int:
    for n in range(count):
        answer_record(
            survey=survey,
            organisation_id=organisation.pk,
            municipality_id=municipality.pk if municipality else None,
            month=months[n % len(months)],
            cleaned=_answers(survey, rng),
        )
    return count


def seed_surveys(*, klaus_case: Case | None, seed: int = 2026) -> Counter[str]:
    counts: Counter[str] = Counter()
    now = timezone.now()
    if klaus_case is not None and klaus_case.is_open:
        counts["klaus_survey"] = len(path_six_months_invite(case=klaus_case, at=now))
    if Answer.objects.exists():
        return counts
    rng = random.Random(f"{seed}:surveys")  # noqa: S311 - demo data
    places = list(Municipality.objects.order_by("code"))
    organisations = {o.code: o for o in Organisation.objects.prefetch_related("municipalities")}
    satisfaction, change = survey_current(CLIENT_SATISFACTION), survey_current(WORK_ABILITY_CHANGE)
    employer, cooperation = survey_current(EMPLOYER_FEEDBACK), survey_current(COOPERATION)
    quarters = quarters_back(timezone.localdate(now))
    for months in quarters:
        for code in CLIENT_ORGANISATIONS:
            organisation = organisations.get(code)
            if organisation is None:
                continue
            served = list(organisation.municipalities.all()) or places[:1]
            outside = [p for p in places if p not in served] or places[-1:]
            for index, place in enumerate(served):
                share = SATISFACTION_HOME if index == 0 else SATISFACTION_HOME // 2
                counts["satisfaction"] += _write(
                    satisfaction, organisation, place, months, share, rng
                )
            counts["satisfaction"] += _write(
                satisfaction, organisation, outside[0], months, SATISFACTION_NEIGHBOUR, rng
            )
            counts["work_ability"] += _write(
                change, organisation, served[0], months, WORK_ABILITY_ANSWERS, rng
            )
        for code in COACHING_ORGANISATIONS:
            organisation = organisations.get(code)
            if organisation is not None:
                place = (list(organisation.municipalities.all()) or places[:1])[0]
                counts["employer"] += _write(
                    employer, organisation, place, months, EMPLOYER_ANSWERS, rng
                )
        rounds = [m for m in months if m.month in {1, 7}]
        if rounds:
            for organisation in organisations.values():
                if organisation.staff.exists():
                    counts["cooperation"] += _write(
                        cooperation, organisation, None, rounds, COOPERATION_ANSWERS, rng
                    )
    return counts
