"""The situation picture as shown: raw figures through the small-number rule, with labels.

Everything the page, the CSV and the XLSX show is built here once, so the exports hold exactly
the page's cells, hidden ones included. Every count on the page is one cell of one ``Sheet``,
with every *line* between them — parts and the total they add up to — and the whole sheet goes
through ``management.disclosure.suppressed_cells`` at once:

- each row's municipalities add up to its total column;
- tables that split a whole add up to their total row, column by column: paths in service by
  state (open at the end by status, and closed; the open ones also to their subtotal), by age
  group, closed paths by outcome, new paths by entry route, waiting clients, reviews due;
- the tables share cells where they count the same thing (the age table's total row *is* the
  paths in service; the outcome table's total row *is* the closed paths; the headline rows and
  the counts behind medians are those cells too), so a figure is hidden everywhere or nowhere;
- across periods: paths in service = open at the previous period's end + new, and the previous
  period's in service = its open + its closed, so the comparison's previous figures cannot give
  a hidden one back either.

Rows whose items overlap (support needs, services by area of life) only add up across
municipalities. A median is shown only beside a shown count of at least five paths; a share
only when the figures it is worked out from are shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tyollisyystalo.cases.models import CaseOutcome, CaseStatus, EntryRoute
from tyollisyystalo.instruments.registry import instrument_get
from tyollisyystalo.management.disclosure import (
    MIN_COUNT,
    Figure,
    Line,
    differenced,
    protect_rate,
    suppressed_cells,
)
from tyollisyystalo.shared.i18n import pick
from tyollisyystalo.situation.selectors import (
    AGE_UNKNOWN,
    CHECKLIST,
    OPEN_STATUSES,
    OTHER,
    SELF_ASSESSMENT,
    TOTAL,
    Median,
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
# The headline: (key, the sheet cell's family and row, label).
HEADLINE = (
    ("in_service", ("in", "all"), gettext_lazy("Palvelupolkuja palvelussa jakson aikana")),
    ("new", ("new", "all"), gettext_lazy("Uusia palvelupolkuja")),
    ("closed", ("in", "closed"), gettext_lazy("Päättyneitä palvelupolkuja")),
    ("open", ("in", "open"), gettext_lazy("Avoimia palvelupolkuja jakson lopussa")),
)
HEADLINE_KEYS = tuple(key for key, _cell, _label in HEADLINE)
STATE_LABELS = {
    "open": gettext_lazy("Avoinna jakson lopussa yhteensä"),
    "closed": gettext_lazy("Päättyi jaksolla"),
    "all": gettext_lazy("Palvelussa jakson aikana"),
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


TOT = "total"  # the column of a row's total
# The paths behind the previous period's median days to the first meeting (a cell of its own).
PREVIOUS_MEDIAN_N = ("prev", "n_first_meeting", TOT)
Key = tuple[str, str, str]  # (family, row, column)


class Sheet:
    """Every count shown on one page and every line between them, protected together."""

    def __init__(self, columns: Sequence[str]) -> None:
        self.columns = tuple(columns)
        self.values: dict[Key, int] = {}
        self.lines: list[Line[Key]] = []

    def put(self, key: Key, value: int) -> None:
        held = self.values.setdefault(key, value)
        if held != value:  # two tables that share a cell must count the same
            raise ValueError(f"{key}: {held} != {value}")

    def line(self, parts: Sequence[Key], total: Key) -> None:
        self.lines.append(Line(list(parts), total))

    def grid(
        self,
        family: str,
        rows: Mapping[str, Mapping[str, int]],
        *,
        total: tuple[str, str] | None = None,
    ) -> None:
        """Rows across the municipalities to their total column; with ``total``, the rows
        also add up, column by column, to that (family, row) — which may be another table's."""
        for row, cells in rows.items():
            for column in self.columns:
                self.put((family, row, column), cells[column])
            self.put((family, row, TOT), sum(cells[c] for c in self.columns))
            self.line([(family, row, c) for c in self.columns], (family, row, TOT))
        if total is not None:
            for column in (*self.columns, TOT):
                parts = [(family, row, column) for row in rows]
                self.put((*total, column), sum(self.values[k] for k in parts))
                self.line(parts, (*total, column))
            self.line([(*total, c) for c in self.columns], (*total, TOT))

    def protect(self, also: Iterable[Key] = ()) -> dict[Key, Figure]:
        hidden = suppressed_cells(self.values, self.lines, also=also)
        return {key: Figure(value, key in hidden) for key, value in self.values.items()}


def _totals(rows: Mapping[str, Mapping[str, int]], keys: Sequence[str]) -> int:
    return sum(sum(rows[key].values()) for key in keys)


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
class _TableSpec:
    key: str
    family: str
    title: object
    explanation: object
    row_heading: object
    total: tuple[str, str] | None  # the (family, row) its rows add up to, if they split a whole
    rows: tuple[str, ...] | None = None  # rows in order (default: the counts' own)
    total_label: object = gettext_lazy("Yhteensä")


SPECS = (
    _TableSpec(
        "state",
        "in",
        gettext_lazy("Palvelupolut jakson aikana tilan mukaan"),
        gettext_lazy(
            "Jakson aikana palvelussa olleet palvelupolut: avoinna jakson lopussa (kuluvalla "
            "jaksolla tänään) tilan mukaan, tai päättyneet jaksolla."
        ),
        gettext_lazy("Tila"),
        ("in", "all"),
        rows=(*OPEN_STATUSES, "open", "closed"),
        total_label=STATE_LABELS["all"],
    ),
    _TableSpec(
        "age_group",
        "age",
        gettext_lazy("Palvelupolut asiakkaan ikäryhmän mukaan"),
        gettext_lazy(
            "Jakson aikana palvelussa olleet palvelupolut asiakkaan iän mukaan jakson lopussa."
        ),
        gettext_lazy("Ikäryhmä"),
        ("in", "all"),
    ),
    _TableSpec(
        "entry_route",
        "route",
        gettext_lazy("Uudet palvelupolut tulokanavan mukaan"),
        gettext_lazy("Jaksolla avatut palvelupolut sen mukaan, mitä kautta asiakas tuli."),
        gettext_lazy("Tulokanava"),
        ("new", "all"),
    ),
    _TableSpec(
        "outcome",
        "outcome",
        gettext_lazy("Päättyneet palvelupolut lopputuloksen mukaan"),
        gettext_lazy("Jaksolla päättyneet palvelupolut sen mukaan, miten ne päättyivät."),
        gettext_lazy("Lopputulos"),
        ("in", "closed"),
    ),
    _TableSpec(
        "referrals_waiting",
        "waiting",
        gettext_lazy("Vastausta odottavat lähetteet jakson lopussa"),
        gettext_lazy(
            "Asiakkaat, joiden lähete toiseen organisaatioon odotti vastausta jakson lopussa "
            "(peruttuja lähetteitä ei lasketa), sen mukaan, onko jonkin vastauksen määräpäivä "
            "ohi."
        ),
        gettext_lazy("Odottaminen"),
        ("waiting", "all"),
    ),
    _TableSpec(
        "reviews_due",
        "reviews",
        gettext_lazy("Jaksolla erääntyneet arvioinnit"),
        gettext_lazy(
            "Väli-, loppu- ja suunnitelman arvioinnit, joiden määräpäivä osui jaksolle, sen "
            "mukaan, tehtiinkö ne määräpäivään mennessä (arviointeja)."
        ),
        gettext_lazy("Arviointi"),
        ("reviews", "all"),
    ),
    _TableSpec(
        "reviews_overdue",
        "overdue",
        gettext_lazy("Myöhässä olevat arvioinnit jakson lopussa"),
        gettext_lazy(
            "Arvioinnit, joiden määräpäivä oli ohi eikä niitä ollut tehty jakson lopussa "
            "(kuluvalla jaksolla tänään)."
        ),
        gettext_lazy("Arviointi"),
        None,
    ),
    _TableSpec(
        "support_need",
        "need",
        gettext_lazy("Tunnistetut tuen tarpeet"),
        gettext_lazy(
            "Palvelussa olleet asiakkaat, joilla kohta on merkitty viimeisimpään tuen tarpeen "
            "tarkistuslistaan tai joiden viimeisin itsearvio alueesta on alle 7. Asiakas voi "
            "kuulua useaan riviin. Terveyteen liittyvät rivit ovat terveystietoa: ne näytetään "
            "vain yhteenlaskettuina ja pienet määrät piilotettuina."
        ),
        gettext_lazy("Tuen tarve"),
        None,
    ),
    _TableSpec(
        "service_area",
        "area",
        gettext_lazy("Käytetyt palvelut elämän alueittain"),
        gettext_lazy(
            "Palvelussa olleet asiakkaat, joille jaksolla lähetettiin lähete palveluluettelon "
            "palveluun (ei hylättyjä eikä peruttuja) tai joiden suunnitelmassa palvelua "
            "käyttävä toimenpide oli jakson lopussa käynnissä tai tehty, palvelun elämän alueen "
            "mukaan. Asiakas voi kuulua useaan riviin."
        ),
        gettext_lazy("Elämän alue"),
        None,
    ),
)
TABLE_ORDER = (
    "state",
    "age_group",
    "entry_route",
    "outcome",
    "durations",
    "referrals_waiting",
    "reviews_due",
    "reviews_overdue",
    "support_need",
    "service_area",
)


def _labels(figures: SituationFigures) -> dict[str, Mapping[str, object]]:
    return {
        "in": {**dict(CaseStatus.choices), **STATE_LABELS},
        "age": AGE_LABELS,
        "route": dict(EntryRoute.choices),
        "outcome": dict(CaseOutcome.choices),
        "waiting": WAITING_LABELS,
        "reviews": REVIEW_LABELS,
        "overdue": REVIEW_LABELS,
        "need": _need_labels(),
        "area": {code: pick(*names) for code, names in figures.area_labels.items()},
    }


def _sheet(figures: SituationFigures) -> Sheet:
    """The current period's counts with every line, and the previous period's totals that the
    comparison shows, with the lines that tie them to the current ones."""
    sheet = Sheet(figures.columns)
    now = figures.current.counts
    state = now["state"]
    sheet.grid("in", {s: state[s] for s in OPEN_STATUSES}, total=("in", "open"))
    open_cells = {c: sum(state[s][c] for s in OPEN_STATUSES) for c in figures.columns}
    sheet.grid("in", {"open": open_cells, "closed": state["closed"]}, total=("in", "all"))
    sheet.grid("age", now["age_group"], total=("in", "all"))
    sheet.grid("route", now["entry_route"], total=("new", "all"))
    sheet.grid("outcome", now["outcome"], total=("in", "closed"))
    sheet.grid("waiting", now["referrals_waiting"], total=("waiting", "all"))
    sheet.grid("reviews", now["reviews_due"], total=("reviews", "all"))
    sheet.grid("overdue", now["reviews_overdue"])
    sheet.grid("need", now["support_need"])
    sheet.grid("area", now["service_area"])
    n_rows = {
        row: {c: figures.current.durations[row][c].n for c in figures.columns}
        for row in ("to_first_meeting", "to_first_plan")
    }
    sheet.grid("n", n_rows)
    # The previous period: only its totals are shown (in the comparison).
    before = figures.previous.counts
    closed = _totals(before["state"], ["closed"])
    job = _totals(before["outcome"], [CaseOutcome.JOB_OR_STUDY.value])
    sheet.put(("prev", "all", TOT), _totals(before["state"], [*OPEN_STATUSES, "closed"]))
    sheet.put(("prev", "open", TOT), _totals(before["state"], OPEN_STATUSES))
    sheet.put(("prev", "closed", TOT), closed)
    sheet.put(("prev", "new", TOT), _totals(before["entry_route"], list(before["entry_route"])))
    sheet.put(("prev", "job", TOT), job)
    sheet.put(("prev", "not_job", TOT), closed - job)
    sheet.line([("prev", "open", TOT), ("prev", "closed", TOT)], ("prev", "all", TOT))
    sheet.line([("prev", "open", TOT), ("new", "all", TOT)], ("in", "all", TOT))
    sheet.line([("prev", "job", TOT), ("prev", "not_job", TOT)], ("prev", "closed", TOT))
    sheet.put(PREVIOUS_MEDIAN_N, figures.previous.durations["to_first_meeting"][TOTAL].n)
    return sheet


def _row(
    shown: Mapping[Key, Figure],
    columns: Sequence[str],
    family: str,
    row: str,
    label: object,
    key: str | None = None,
) -> Row:
    """One row of the sheet as shown: the municipalities' cells, then the total."""
    cells = tuple(shown[(family, row, c)] for c in (*columns, TOT))
    return Row(key or row, str(label), cells)


def _durations(
    figures: SituationFigures, shown: Mapping[Key, Figure], headings: tuple[str, ...]
) -> Table:
    """Medians with the counts of paths behind them: the counts are the sheet's own cells
    (closed paths and open ones by status are the state table's)."""
    columns = figures.columns
    where = {
        "to_first_meeting": ("n", "to_first_meeting"),
        "to_first_plan": ("n", "to_first_plan"),
        "to_closing": ("in", "closed"),
        **{f"open_{s}": ("in", s) for s in OPEN_STATUSES},
    }
    rows: list[Row] = []
    for row, by_column in figures.current.durations.items():
        counts = _row(shown, columns, *where[row], _("… palvelupolkuja"))
        medians = tuple(
            _median_figure(by_column[c], n)
            for c, n in zip([*columns, TOTAL], counts.cells, strict=True)
        )
        rows.append(Row(row, str(DURATION_LABELS[row]), medians))
        rows.append(Row(f"{row}:n", counts.label, counts.cells))
    return Table(
        "durations",
        _("Kestot palvelupolulla (mediaani, päivää)"),
        _(
            "Päivien mediaani palvelupolun avaamisesta vaiheeseen niillä poluilla, jotka "
            "saavuttivat vaiheen jaksolla. Mediaani näytetään, kun polkuja on vähintään %(n)s."
        )
        % {"n": MIN_COUNT},
        _("Vaihe"),
        headings,
        tuple(rows),
    )


def _tables(
    figures: SituationFigures, shown: Mapping[Key, Figure], headings: tuple[str, ...]
) -> dict[str, Table]:
    columns = figures.columns
    labels = _labels(figures)
    tables: dict[str, Table] = {}
    for spec in SPECS:
        row_keys = spec.rows or tuple(figures.current.counts[spec.key])
        family_labels = labels[spec.family]
        total_row = None
        if spec.total is not None:
            total_row = _row(shown, columns, *spec.total, spec.total_label)
        tables[spec.key] = Table(
            spec.key,
            str(spec.title),
            str(spec.explanation),
            str(spec.row_heading),
            headings,
            tuple(_row(shown, columns, spec.family, r, family_labels.get(r, r)) for r in row_keys),
            total_row,
        )
    tables["durations"] = _durations(figures, shown, headings)
    return tables


def _share(numerator: Figure, denominator: Figure) -> Figure:
    """A share of shown figures only: a hidden part would be worked back from the share."""
    if numerator.suppressed or denominator.suppressed:
        return Figure(None, suppressed=True)
    assert isinstance(numerator.value, int)
    assert isinstance(denominator.value, int)
    return protect_rate(numerator.value, denominator.value, decimals=0)


@dataclass(frozen=True)
class Change(Figure):
    """A change from the previous period, written with its sign ("+3", "-2", "0")."""

    def __str__(self) -> str:
        text = super().__str__()
        return f"+{text}" if isinstance(self.value, int | float) and self.value > 0 else text


def _change(current: Figure, previous: Figure) -> Figure:
    """Only between two shown figures (both already public on the page)."""
    if current.suppressed or previous.suppressed or current.value is None or previous.value is None:
        return Figure(None)
    difference = current.value - previous.value
    return Change(difference, decimals=max(current.decimals, previous.decimals))


# The figures that are also indicators (the same definitions, `indicators/definitions.toml`),
# so an indicator goal set for them is shown beside them.
RATE_LABELS = {
    "placed_in_working_life": gettext_lazy(
        "Työhön tai opiskelemaan siirtyneiden osuus päättyneistä, %"
    ),
    "median_days_to_first_meeting": gettext_lazy("Mediaani avaamisesta ensitapaamiseen, päivää"),
}


def _previous_median(figures: SituationFigures, shown: Mapping[Key, Figure]) -> Figure:
    """The previous period's median days to the first meeting, hidden when the paths behind it
    (a cell of the sheet, so the small-number and differencing rules apply) are hidden."""
    median = figures.previous.durations["to_first_meeting"][TOTAL]
    return _median_figure(median, shown[PREVIOUS_MEDIAN_N])


def situation_picture(
    figures: SituationFigures,
    *,
    scope_name: str,
    municipality_names: Mapping[str, str],
    goals: Mapping[str, float] | None = None,
    own: SituationFigures | None = None,
) -> Picture:
    """The tables to show: the current period in full, the previous period's totals beside it
    for comparison, every count protected together (``Sheet``). ``own``: in the region's
    view, the reader's own organisation's figures in the same columns; a count that differs
    from theirs by 1–4 people is hidden too (``disclosure.differenced``)."""
    headings = column_headings(figures.columns, municipality_names, _("Yhteensä"))
    sheet = _sheet(figures)
    shown = sheet.protect(() if own is None else differenced(sheet.values, _sheet(own).values))
    tables = _tables(figures, shown, headings)
    columns = figures.columns
    headline = Table(
        "headline",
        _("Palvelupolut kunnittain"),
        _("Kunta on asiakkaan kotikunta. Kunnat laskevat yhteen kokonaismäärän."),
        _("Luku"),
        headings,
        tuple(_row(shown, columns, *cell, label, key=key) for key, cell, label in HEADLINE),
    )
    previous = {
        "in_service": shown[("prev", "all", TOT)],
        "new": shown[("prev", "new", TOT)],
        "closed": shown[("prev", "closed", TOT)],
        "open": shown[("prev", "open", TOT)],
        "placed_in_working_life": _share(
            shown[("prev", "job", TOT)], shown[("prev", "closed", TOT)]
        ),
        "median_days_to_first_meeting": _previous_median(figures, shown),
    }
    current = {row.key: row.total for row in headline.rows}
    current["placed_in_working_life"] = _share(
        shown[("outcome", CaseOutcome.JOB_OR_STUDY.value, TOT)], shown[("in", "closed", TOT)]
    )
    current["median_days_to_first_meeting"] = next(
        r for r in tables["durations"].rows if r.key == "to_first_meeting"
    ).total
    labels = {key: label for key, _cell, label in HEADLINE} | RATE_LABELS
    goals = goals or {}
    comparison_rows = []
    for key, label in labels.items():
        goal = goals.get(key)
        goal_figure = Figure(goal, decimals=1 if goal is not None and goal % 1 else 0)
        now, before = current[key], previous[key]
        comparison_rows.append(
            Row(key, str(label), (now, before, _change(now, before), goal_figure))
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
        tables=tuple(tables[key] for key in TABLE_ORDER),
    )
