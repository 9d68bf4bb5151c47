"""The situation picture as shown: raw figures through the small-number rule, with labels.

Everything the page, the CSV and the XLSX show is built here once, so the exports hold exactly
the page's cells, hidden ones included. Every count goes through ``management.disclosure``:
tables that split a whole (entry routes of new paths, outcomes of closed paths, ...) protect
rows, columns and totals together (``protect_table``); tables whose rows overlap (support
needs, services by area of life, overdue reviews) protect each row with the municipalities adding up
to the total (``protect_counts``). The headline figures are the total rows of the partition
tables themselves, so one figure is never hidden in one place and shown in another. A median
is shown only beside a shown count of at least five paths; a share only when the figures it is
worked out from are shown.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tyollisyystalo.cases.models import CaseOutcome, CaseStatus, EntryRoute
from tyollisyystalo.instruments.registry import instrument_get
from tyollisyystalo.management.disclosure import (
    MIN_COUNT,
    Figure,
    protect_counts,
    protect_rate,
    protect_table,
)
from tyollisyystalo.shared.i18n import pick
from tyollisyystalo.situation.selectors import (
    AGE_UNKNOWN,
    CHECKLIST,
    OTHER,
    SELF_ASSESSMENT,
    TOTAL,
    Median,
    PeriodFigures,
    SituationFigures,
)

AGE_LABELS = {
    "under_25": gettext_lazy("alle 25 v"),
    "25_34": gettext_lazy("25–34 v"),
    "35_44": gettext_lazy("35–44 v"),
    "45_54": gettext_lazy("45–54 v"),
    "55_64": gettext_lazy("55–64 v"),
    "65_over": gettext_lazy("65 v tai yli"),
    AGE_UNKNOWN: gettext_lazy("ikä ei tiedossa"),
}
WAITING_LABELS = {
    "not_due": gettext_lazy("Vastauksen määräpäivä ei ole ohi"),
    "past_due": gettext_lazy("Vastauksen määräpäivä on ohi"),
}
REVIEW_LABELS = {
    "on_time": gettext_lazy("Tehty ajallaan"),
    "late": gettext_lazy("Tehty myöhässä tai ei tehty"),
    "overdue": gettext_lazy("Myöhässä"),
}
DURATION_LABELS = {
    "to_first_meeting": gettext_lazy("Avaamisesta ensitapaamiseen"),
    "to_first_plan": gettext_lazy("Avaamisesta ensimmäiseen suunnitelmaan"),
    "to_closing": gettext_lazy("Avaamisesta päättymiseen"),
    "open_referred": gettext_lazy("Avoinna jakson lopussa, tila: Ohjattu"),
    "open_intake": gettext_lazy("Avoinna jakson lopussa, tila: Alkukartoitus"),
    "open_active": gettext_lazy("Avoinna jakson lopussa, tila: Aktiivinen"),
}
HEADLINE = ("clients", "new", "closed", "open")
# Each headline figure is the total row of the table that splits it (one suppression each).
HEADLINE_SOURCE = {
    "clients": "age_group",
    "new": "entry_route",
    "closed": "outcome",
    "open": "status_at_end",
}
HEADLINE_LABELS = {
    "clients": gettext_lazy("Asiakkaita palvelussa jakson aikana"),
    "new": gettext_lazy("Uusia palvelupolkuja"),
    "closed": gettext_lazy("Päättyneitä palvelupolkuja"),
    "open": gettext_lazy("Avoimia palvelupolkuja jakson lopussa"),
}


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    cells: tuple[Figure, ...]

    @property
    def total(self) -> Figure:
        return self.cells[-1]


@dataclass(frozen=True)
class Table:
    """One table as shown: column headings (after the row heading), rows, an optional total row."""

    key: str
    title: str
    explanation: str
    row_heading: str
    headings: tuple[str, ...]
    rows: tuple[Row, ...]
    total_row: Row | None = None

    @property
    def all_rows(self) -> tuple[Row, ...]:
        return (*self.rows, *((self.total_row,) if self.total_row else ()))


@dataclass(frozen=True)
class Picture:
    scope_name: str
    period_label: str
    previous_label: str
    headline: Table
    comparison: Table
    tables: tuple[Table, ...]


def column_headings(
    columns: Sequence[str], names: Mapping[str, str], total_heading: str
) -> tuple[str, ...]:
    names = {**names, OTHER: _("Muu tai tuntematon kunta")}
    return (
        *(names.get(code, code) for code in columns),
        total_heading,
    )


def _partition(
    counts: Mapping[str, Mapping[str, int]], columns: Sequence[str]
) -> tuple[dict[str, tuple[Figure, ...]], tuple[Figure, ...]]:
    """Rows that split a whole: rows, columns and totals protected together."""
    keyed = {
        row: {f"{i:03d}": cells[c] for i, c in enumerate(columns)} for row, cells in counts.items()
    }
    table, total_row = protect_table(keyed)
    order = [f"{i:03d}" for i in range(len(columns))] + ["total"]
    return (
        {row: tuple(cells[k] for k in order) for row, cells in table.items()},
        tuple(total_row[k] for k in order),
    )


def _overlapping(
    counts: Mapping[str, Mapping[str, int]], columns: Sequence[str]
) -> dict[str, tuple[Figure, ...]]:
    """Rows that overlap: each row's municipalities add up to its total."""
    protected: dict[str, tuple[Figure, ...]] = {}
    for row, cells in counts.items():
        parts, total = protect_counts(
            {c: cells[c] for c in columns}, total=sum(cells[c] for c in columns)
        )
        assert total is not None
        protected[row] = (*(parts[c] for c in columns), total)
    return protected


def _median_figure(median: Median, n: Figure) -> Figure:
    if n.suppressed or median.value is None:
        return Figure(None, suppressed=n.suppressed)
    return Figure(median.value, decimals=0 if median.value == int(median.value) else 1)


def _need_labels() -> dict[str, str]:
    from django.utils.translation import get_language

    language = get_language() or "fi"
    checklist = instrument_get(CHECKLIST)
    assessment = instrument_get(SELF_ASSESSMENT)
    labels = {item.code: item.text.get(language) for item in checklist.items}
    for domain in assessment.domains:
        labels[f"self:{domain.code}"] = _("Itsearvio alle 7: %(area)s") % {
            "area": domain.name.get(language)
        }
    return labels


@dataclass(frozen=True)
class _Built:
    tables: dict[str, Table]
    headline: dict[str, Figure]  # headline key → the scope's total as shown
    rates: dict[str, Figure]


@dataclass(frozen=True)
class _Spec:
    """A count table: whether its rows split one whole (``partition``), its texts and labels."""

    key: str
    partition: bool
    title: object
    explanation: object
    row_heading: object
    labels: Callable[[SituationFigures], Mapping[str, object]]


SPECS = (
    _Spec(
        "age_group",
        True,
        gettext_lazy("Asiakkaat ikäryhmittäin"),
        gettext_lazy("Jakson aikana palvelussa olleet asiakkaat iän mukaan jakson lopussa."),
        gettext_lazy("Ikäryhmä"),
        lambda _figures: AGE_LABELS,
    ),
    _Spec(
        "entry_route",
        True,
        gettext_lazy("Uudet palvelupolut tulokanavan mukaan"),
        gettext_lazy("Jaksolla avatut palvelupolut sen mukaan, mitä kautta asiakas tuli."),
        gettext_lazy("Tulokanava"),
        lambda _figures: dict(EntryRoute.choices),
    ),
    _Spec(
        "outcome",
        True,
        gettext_lazy("Päättyneet palvelupolut lopputuloksen mukaan"),
        gettext_lazy("Jaksolla päättyneet palvelupolut sen mukaan, miten ne päättyivät."),
        gettext_lazy("Lopputulos"),
        lambda _figures: dict(CaseOutcome.choices),
    ),
    _Spec(
        "status_at_end",
        True,
        gettext_lazy("Avoimet palvelupolut tilan mukaan jakson lopussa"),
        gettext_lazy("Jakson lopussa (kuluvalla jaksolla tänään) avoinna olleet palvelupolut."),
        gettext_lazy("Tila"),
        lambda _figures: dict(CaseStatus.choices),
    ),
    _Spec(
        "support_need",
        False,
        gettext_lazy("Tunnistetut tuen tarpeet"),
        gettext_lazy(
            "Palvelussa olleet asiakkaat, joilla kohta on merkitty viimeisimpään tuen tarpeen "
            "tarkistuslistaan tai joiden viimeisin itsearvio alueesta on alle 7. Asiakas voi "
            "kuulua useaan riviin. Terveyteen liittyvät rivit ovat terveystietoa: ne näytetään "
            "vain yhteenlaskettuina ja pienet määrät piilotettuina."
        ),
        gettext_lazy("Tuen tarve"),
        lambda _figures: _need_labels(),
    ),
    _Spec(
        "service_area",
        False,
        gettext_lazy("Käytetyt palvelut elämän alueittain"),
        gettext_lazy(
            "Asiakkaat, joille jaksolla lähetettiin lähete palveluluettelon palveluun (ei "
            "hylättyjä eikä peruttuja), palvelun elämän alueen mukaan. Asiakas voi kuulua "
            "useaan riviin."
        ),
        gettext_lazy("Elämän alue"),
        lambda figures: {code: pick(*names) for code, names in figures.area_labels.items()},
    ),
    _Spec(
        "referrals_waiting",
        True,
        gettext_lazy("Vastausta odottavat lähetteet jakson lopussa"),
        gettext_lazy(
            "Asiakkaat, joiden lähete toiseen organisaatioon odotti vastausta jakson lopussa "
            "(peruttuja lähetteitä ei lasketa), sen mukaan, onko jonkin vastauksen määräpäivä "
            "ohi."
        ),
        gettext_lazy("Odottaminen"),
        lambda _figures: WAITING_LABELS,
    ),
    _Spec(
        "reviews_due",
        True,
        gettext_lazy("Jaksolla erääntyneet arvioinnit"),
        gettext_lazy(
            "Väli-, loppu- ja suunnitelman arvioinnit, joiden määräpäivä osui jaksolle, sen "
            "mukaan, tehtiinkö ne määräpäivään mennessä (arviointeja)."
        ),
        gettext_lazy("Arviointi"),
        lambda _figures: REVIEW_LABELS,
    ),
    _Spec(
        "reviews_overdue",
        False,
        gettext_lazy("Myöhässä olevat arvioinnit jakson lopussa"),
        gettext_lazy(
            "Arvioinnit, joiden määräpäivä oli ohi eikä niitä ollut tehty jakson lopussa "
            "(kuluvalla jaksolla tänään)."
        ),
        gettext_lazy("Arviointi"),
        lambda _figures: REVIEW_LABELS,
    ),
)


def _count_table(
    spec: _Spec, figures: SituationFigures, which: PeriodFigures, headings: tuple[str, ...]
) -> Table:
    counts = which.counts[spec.key]
    labels = spec.labels(figures)
    total_row = None
    if spec.partition:
        rows, totals = _partition(counts, figures.columns)
        total_row = Row("total", _("Yhteensä"), totals)
    else:
        rows = _overlapping(counts, figures.columns)
    return Table(
        spec.key,
        str(spec.title),
        str(spec.explanation),
        str(spec.row_heading),
        headings,
        tuple(Row(r, str(labels.get(r, r)), rows[r]) for r in counts),
        total_row,
    )


def _build(figures: SituationFigures, which: PeriodFigures, headings: tuple[str, ...]) -> _Built:
    columns = figures.columns
    tables = {spec.key: _count_table(spec, figures, which, headings) for spec in SPECS}
    # Durations: the number of paths behind each median is protected like any count.
    n_counts = {
        row: {c: by_column[c].n for c in columns} for row, by_column in which.durations.items()
    }
    n_rows = _overlapping(n_counts, columns)
    # Counts shown in another table keep that table's protection (one pattern per figure).
    n_rows["to_closing"] = _total(tables["outcome"]).cells
    for status_row in tables["status_at_end"].rows:
        n_rows[f"open_{status_row.key}"] = status_row.cells
    median_rows: list[Row] = []
    for row, by_column in which.durations.items():
        ns = n_rows[row]
        medians = tuple(
            _median_figure(by_column[c], n) for c, n in zip([*columns, TOTAL], ns, strict=True)
        )
        median_rows.append(Row(row, str(DURATION_LABELS[row]), medians))
        median_rows.append(Row(f"{row}:n", _("… palvelupolkuja"), ns))
    tables["durations"] = Table(
        "durations",
        _("Kestot palvelupolulla (mediaani, päivää)"),
        _(
            "Päivien mediaani palvelupolun avaamisesta vaiheeseen niillä poluilla, jotka "
            "saavuttivat vaiheen jaksolla. Mediaani näytetään, kun polkuja on vähintään %(n)s."
        )
        % {"n": MIN_COUNT},
        _("Vaihe"),
        headings,
        tuple(median_rows),
    )
    headline = {key: _total(tables[HEADLINE_SOURCE[key]]).total for key in HEADLINE}
    placed = next(r for r in tables["outcome"].rows if r.key == CaseOutcome.JOB_OR_STUDY)
    rates = {
        "placed_share": _share(placed.total, headline["closed"]),
        "median_to_first_meeting": next(
            r for r in tables["durations"].rows if r.key == "to_first_meeting"
        ).total,
    }
    return _Built(tables, headline, rates)


def _total(table: Table) -> Row:
    if table.total_row is None:
        raise ValueError(table.key)
    return table.total_row


def _share(numerator: Figure, denominator: Figure) -> Figure:
    """A share of shown figures only: a hidden part would be worked back from the share."""
    if numerator.suppressed or denominator.suppressed:
        return Figure(None, suppressed=True)
    assert isinstance(numerator.value, int)
    assert isinstance(denominator.value, int)
    return protect_rate(numerator.value, denominator.value, decimals=0)


def _change(current: Figure, previous: Figure) -> Figure:
    if current.suppressed or previous.suppressed or current.value is None or previous.value is None:
        return Figure(None)
    difference = current.value - previous.value
    return Figure(difference, decimals=max(current.decimals, previous.decimals))


RATE_LABELS = {
    "placed_share": gettext_lazy("Työhön tai opiskelemaan siirtyneiden osuus päättyneistä, %"),
    "median_to_first_meeting": gettext_lazy("Mediaani avaamisesta ensitapaamiseen, päivää"),
}


def situation_picture(
    figures: SituationFigures,
    *,
    scope_name: str,
    municipality_names: Mapping[str, str],
    goals: Mapping[str, float] | None = None,
) -> Picture:
    """The tables to show, current period in full and the previous period for comparison."""
    headings = column_headings(figures.columns, municipality_names, _("Yhteensä"))
    current = _build(figures, figures.current, headings)
    previous = _build(figures, figures.previous, headings)
    order = (
        "age_group",
        "entry_route",
        "outcome",
        "status_at_end",
        "durations",
        "referrals_waiting",
        "reviews_due",
        "reviews_overdue",
        "support_need",
        "service_area",
    )
    headline_rows = []
    for key in HEADLINE:
        source = current.tables[HEADLINE_SOURCE[key]]
        headline_rows.append(Row(key, str(HEADLINE_LABELS[key]), _total(source).cells))
    headline = Table(
        "headline",
        _("Asiakkaat ja palvelupolut kunnittain"),
        _("Kunta on asiakkaan kotikunta. Kunnat laskevat yhteen kokonaismäärän."),
        _("Luku"),
        headings,
        tuple(headline_rows),
    )
    goals = goals or {}
    comparison_rows = []
    for key in (*HEADLINE, *RATE_LABELS):
        label = HEADLINE_LABELS.get(key) or RATE_LABELS[key]
        now = current.headline.get(key) or current.rates[key]
        before = previous.headline.get(key) or previous.rates[key]
        goal = goals.get(key)
        goal_figure = Figure(goal, decimals=1 if goal is not None and goal % 1 else 0)
        comparison_rows.append(
            Row(
                key,
                str(label),
                (now, before, _change(now, before), goal_figure),
            )
        )
    comparison = Table(
        "comparison",
        _("Vertailu edelliseen jaksoon ja tavoitteeseen"),
        _("Koko alueen tai organisaation luvut. Muutos näytetään, kun molemmat luvut näytetään."),
        _("Luku"),
        (_("Tämä jakso"), _("Edellinen jakso"), _("Muutos"), _("Tavoite")),
        tuple(comparison_rows),
    )
    return Picture(
        scope_name=scope_name,
        period_label=figures.current.period.label,
        previous_label=figures.previous.period.label,
        headline=headline,
        comparison=comparison,
        tables=tuple(current.tables[key] for key in order),
    )
