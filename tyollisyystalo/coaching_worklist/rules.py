"""The coach's worklist rules, as pure functions with named parameters (no database).

The intervals come from the IPS model (Becker, Swanson, Reese, Bond & McLeman, *Supported
Employment Fidelity Review Manual*, 4th ed., items "rapid job search" and "time-unlimited
follow-along supports"), which the team is reviewed against (issue 14 part 6), so they are
rule parameters here rather than settings a deployment could quietly loosen:

- a client in job search should have an employer contact about them within a month
  (``EMPLOYER_CONTACT_DAYS``, the issue's "30 days");
- after a job start the coach keeps in touch weekly for the first month
  (``FOLLOW_ALONG_FIRST_MONTH_DAYS`` long, every ``FOLLOW_ALONG_EARLY_DAYS`` days) and at least
  monthly after that (``FOLLOW_ALONG_DAYS``), with no end date.
"""

from __future__ import annotations

import datetime as dt

EMPLOYER_CONTACT_DAYS = 30
FOLLOW_ALONG_DAYS = 30
FOLLOW_ALONG_EARLY_DAYS = 7
FOLLOW_ALONG_FIRST_MONTH_DAYS = 30

# IPS Fidelity Scale item 1 (caseload size): active clients per employment specialist.
CASELOAD_BANDS: tuple[tuple[int, int], ...] = ((20, 5), (25, 4), (30, 3), (40, 2))


def caseload_score(active_clients: int) -> int:
    """5 = 20 or fewer, 4 = 21–25, 3 = 26–30, 2 = 31–40, 1 = 41 or more."""
    for ceiling, score in CASELOAD_BANDS:
        if active_clients <= ceiling:
            return score
    return 1


def follow_along_due_on(
    *, period_started_on: dt.date, job_started_on: dt.date | None, last_contact_on: dt.date | None
) -> dt.date:
    """When the next follow-along contact is due: counted from the latest of the last contact,
    the job start and the period's start; weekly in the job's first month, monthly after."""
    base = max(d for d in (period_started_on, job_started_on, last_contact_on) if d is not None)
    early = job_started_on is not None and base < job_started_on + dt.timedelta(
        days=FOLLOW_ALONG_FIRST_MONTH_DAYS
    )
    return base + dt.timedelta(days=FOLLOW_ALONG_EARLY_DAYS if early else FOLLOW_ALONG_DAYS)


def employer_contact_due_on(
    *, period_started_on: dt.date, last_contact_on: dt.date | None
) -> dt.date:
    """When a client in job search is due an employer contact about them."""
    base = max(period_started_on, last_contact_on or period_started_on)
    return base + dt.timedelta(days=EMPLOYER_CONTACT_DAYS)
