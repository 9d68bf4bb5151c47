"""Segment analyses and versions: decided, validated before any write, logged where records
are read.

Only an analyst (``SEGMENTS_ANALYSE``: the manager role) of the organisation that owns the
records may build the data set, run an analysis, draft, edit and approve segment versions;
anyone else gets ``PermissionDenied`` (the views answer 404) before anything is read. Every
analysis is one access-log entry (action export, no client) with its purpose, the number of
clients and the data categories read.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from numpy.typing import NDArray

from tyollisyystalo.access.client_access import client_access_decide
from tyollisyystalo.access.log import deny_and_log, read_events, reads_from
from tyollisyystalo.access.policy import Capability
from tyollisyystalo.audit.models import Action, Basis, Outcome
from tyollisyystalo.audit.services import LogEvent, access_log_append
from tyollisyystalo.catalogue.models import Service
from tyollisyystalo.evaluation.purpose import purpose_clean
from tyollisyystalo.management.access import management_scope
from tyollisyystalo.organisations.models import Organisation
from tyollisyystalo.plans.models import Plan, PlanVersion
from tyollisyystalo.plans.services import PlanConflict, plan_revise
from tyollisyystalo.segments.criteria import (
    OPS,
    Agreement,
    SegmentRules,
    agreement,
    rules_assign,
    rules_fit,
    ruleset_from_json,
    ruleset_json,
    segment_code,
    segment_label,
)
from tyollisyystalo.segments.dataset import dataset_pack, dataset_unpack
from tyollisyystalo.segments.discovery import (
    MINIMUM_CLIENTS,
    Discovery,
    TooFewClients,
    segments_discover,
)
from tyollisyystalo.segments.features import (
    Feature,
    Kind,
    feature_index,
    feature_row,
    features,
)
from tyollisyystalo.segments.models import (
    ProcessStep,
    Segment,
    SegmentAnalysis,
    SegmentSuggestion,
    SegmentVersion,
    SuggestionState,
    VersionStatus,
)
from tyollisyystalo.segments.selectors import Source, analysis_source
from tyollisyystalo.segments.suggestions import CATEGORY as SUGGESTION_CATEGORY
from tyollisyystalo.segments.suggestions import OBJECT_TYPE as SUGGESTION_OBJECT
from tyollisyystalo.segments.suggestions import suggestion_live, suggestions_readable
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.permissions import require_capability
from tyollisyystalo.staff.roles import Role

LOG_OBJECT_TYPE = "segment_analysis"
K_RANGE = (2, 12)  # the widest range an analyst may ask for
MAX_RESAMPLES = 50


def analysis_organisation(actor: StaffMember) -> Organisation:
    """The organisation whose records the actor may analyse, or ``PermissionDenied``."""
    if not actor.can(Capability.SEGMENTS_ANALYSE):
        raise PermissionDenied(_("Roolisi ei salli tätä toimintoa."))
    scope = management_scope(actor)
    if scope is None or scope.organisation is None:
        raise PermissionDenied(_("Roolisi ei salli tätä toimintoa."))
    return scope.organisation


def k_range_clean(low: int, high: int) -> tuple[int, ...]:
    if not (K_RANGE[0] <= low <= high <= K_RANGE[1]):
        raise ValidationError(
            _("Segmenttien määrän on oltava välillä %(low)s–%(high)s, pienin ensin.")
            % {"low": K_RANGE[0], "high": K_RANGE[1]},
            code="k_range",
        )
    return tuple(range(low, high + 1))


def dataset_from(source: Source, on: dt.date) -> NDArray[np.float64]:
    """The rows of what was read, in the source's client order, no identifiers."""
    rows = [feature_row(known, on) for known in source.facts.values()]
    return np.asarray(rows, dtype=np.float64).reshape(len(rows), len(features()))


def analysis_dataset(
    organisation: Organisation,
) -> tuple[tuple[Feature, ...], NDArray[np.float64], set[str]]:
    """The organisation's analysis data set: one row per client, no identifiers."""
    source = analysis_source(organisation)
    return features(), dataset_from(source, timezone.localdate()), source.categories


def _results(
    discovery: Discovery, ruleset: list[SegmentRules], agreed: Agreement
) -> dict[str, Any]:
    return {
        "criterion": "bic",
        "fits": [
            {
                "k": f.k,
                "bic": _finite(f.bic),
                "log_likelihood": _finite(f.log_likelihood),
                "smallest": f.smallest,
            }
            for f in discovery.fits
        ],
        "stability": [round(a, 4) for a in discovery.stability],
        "candidates": [
            {
                "code": segment_code(c.label),
                "size": c.size,
                "share": round(c.share, 4),
                "profile": [
                    [r.feature.code, r.value, _finite(r.segment), _finite(r.whole), r.known]
                    for r in c.profile
                ],
            }
            for c in discovery.candidates
        ],
        "rules": ruleset_json(ruleset),
        "agreement": _agreement_json(agreed),
    }


def _finite(value: float) -> float | None:
    return None if not math.isfinite(value) else round(value, 4)


def _agreement_json(agreed: Agreement) -> dict[str, Any]:
    return {
        "overall": round(agreed.overall, 4),
        "per_segment": [_finite(x) for x in agreed.per_segment],
        "unmatched": agreed.unmatched,
    }


def segment_analysis_run(
    *,
    actor: StaffMember,
    purpose: str,
    ks: Sequence[int] = tuple(range(2, 9)),
    resamples: int = 20,
    seed: int = 0,
) -> SegmentAnalysis:
    """Build the data set, find the segments, fit their criteria, keep and log it all."""
    organisation = analysis_organisation(actor)
    purpose = purpose_clean(purpose)
    if not ks:
        raise ValidationError(_("Tarkista segmenttien määrä."), code="k_range")
    k_range_clean(min(ks), max(ks))
    if not 0 <= resamples <= MAX_RESAMPLES:
        raise ValidationError(
            _("Uudelleenotantoja voi olla 0–%(n)s.") % {"n": MAX_RESAMPLES}, code="resamples"
        )
    columns, values, categories = analysis_dataset(organisation)
    if len(values) < MINIMUM_CLIENTS:
        raise ValidationError(
            _(
                "Analyysiin tarvitaan vähintään %(minimum)s asiakasta; organisaatiolla on nyt "
                "%(n)s. Pienestä joukosta löydetyt ryhmät olisivat sattumaa, ja yksittäiset "
                "ihmiset voisi tunnistaa niistä."
            )
            % {"minimum": MINIMUM_CLIENTS, "n": len(values)},
            code="too_few",
        )
    try:
        discovery = segments_discover(columns, values, ks=ks, resamples=resamples, seed=seed)
    except TooFewClients as error:  # fewer than any k can split
        raise ValidationError(_("Aineisto on liian pieni analyysiin."), code="too_few") from error
    ruleset, agreed = rules_fit(columns, values, discovery.labels, seed=seed)
    with transaction.atomic():
        analysis = SegmentAnalysis.objects.create(
            organisation=organisation,
            made_by=actor,
            purpose=purpose,
            clients=len(values),
            k=discovery.k,
            resamples=resamples,
            results_json=_results(discovery, ruleset, agreed),
            dataset=dataset_pack([c.code for c in columns], values, discovery.labels),
        )
        access_log_append(
            actor=actor,
            events=[
                LogEvent(
                    action=Action.EXPORT,
                    outcome=Outcome.ALLOWED,
                    client_id=None,
                    categories=sorted(categories),
                    basis=Basis.STATUTE,
                    object_type=LOG_OBJECT_TYPE,
                    object_id=str(analysis.pk),
                    purpose=f"segment analysis, {len(values)} clients: {purpose}",
                )
            ],
        )
    return analysis


def analysis_get(actor: StaffMember, analysis_id: Any) -> SegmentAnalysis:
    organisation = analysis_organisation(actor)
    try:
        return SegmentAnalysis.objects.get(pk=analysis_id, organisation=organisation)
    except (SegmentAnalysis.DoesNotExist, ValidationError, ValueError) as error:
        raise PermissionDenied from error


def version_get(actor: StaffMember, version_id: Any) -> SegmentVersion:
    organisation = analysis_organisation(actor)
    try:
        return SegmentVersion.objects.select_related("analysis").get(
            pk=version_id, organisation=organisation
        )
    except (SegmentVersion.DoesNotExist, ValueError) as error:
        raise PermissionDenied from error


def segment_get(actor: StaffMember, segment_id: Any) -> Segment:
    organisation = analysis_organisation(actor)
    try:
        return Segment.objects.select_related("version").get(
            pk=segment_id, version__organisation=organisation
        )
    except (Segment.DoesNotExist, ValueError) as error:
        raise PermissionDenied from error


def segment_version_draft(*, actor: StaffMember, analysis: SegmentAnalysis) -> SegmentVersion:
    """A draft version from an analysis: one segment per candidate, with its fitted rules."""
    organisation = analysis_organisation(actor)
    if analysis.organisation_id != organisation.pk:
        raise PermissionDenied
    rules = {s["code"]: s["rules"] for s in analysis.results_json["rules"]}
    with transaction.atomic():
        number = (
            SegmentVersion.objects.select_for_update()
            .filter(organisation=organisation)
            .aggregate(n=Max("number"))["n"]
            or 0
        ) + 1
        version = SegmentVersion.objects.create(
            organisation=organisation, number=number, analysis=analysis, created_by=actor
        )
        for position, code in enumerate(rules, start=1):
            Segment.objects.create(
                version=version,
                position=position,
                code=code,
                name_fi=_("Segmentti %(n)s") % {"n": code.removeprefix("s")},
                rules_json=rules[code],
            )
        version.checks_json = version_checks(version)
        version.save(update_fields=["checks_json"])
    return version


def rules_clean(data: Any) -> list[list[dict[str, Any]]]:
    """A segment's rules as edited: every condition on a modelled feature, with a valid value."""
    if not isinstance(data, list):
        raise ValidationError(_("Kriteerit ovat virheellisessä muodossa."), code="rules")
    by_code = {f.code: f for f in features()}
    cleaned: list[list[dict[str, Any]]] = []
    for rule in data:
        if not isinstance(rule, list) or not rule:
            raise ValidationError(_("Jokaisessa kriteerissä on oltava vähintään yksi ehto."))
        conditions = []
        for condition in rule:
            if not isinstance(condition, Mapping):
                raise ValidationError(_("Kriteerit ovat virheellisessä muodossa."), code="rules")
            feature = by_code.get(str(condition.get("feature")))
            if feature is None:
                raise ValidationError(_("Tuntematon tieto kriteerissä."), code="feature")
            if not feature.modelled:
                raise ValidationError(
                    _(
                        "Kriteeri ei voi perustua tietoon %(feature)s: segmentit eivät saa "
                        "perustua sukupuoleen, ikään eikä käytettyihin palveluihin."
                    )
                    % {"feature": feature.title()},
                    code="not_allowed",
                )
            conditions.append(_condition_clean(feature, condition))
        cleaned.append(conditions)
    return cleaned


def _condition_clean(feature: Feature, condition: Mapping[str, Any]) -> dict[str, Any]:
    op = str(condition.get("op"))
    value = condition.get("value")
    categorical = feature.kind == Kind.CATEGORY
    if op not in OPS or (op in ("eq", "ne")) != categorical:
        raise ValidationError(_("Virheellinen vertailu kriteerissä."), code="op")
    if categorical:
        if value not in feature.choices:
            raise ValidationError(_("Virheellinen arvo kriteerissä."), code="value")
    else:
        try:
            value = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError) as error:
            raise ValidationError(_("Anna kriteerin raja numerona."), code="value") from error
        high = 1 if feature.kind == Kind.BINARY else 10 if str(feature.unit) == "0–10" else 600
        if not (0 <= value <= high) or not math.isfinite(value):
            raise ValidationError(
                _("Kriteerin rajan on oltava välillä 0–%(high)s.") % {"high": high},
                code="value",
            )
        if feature.kind == Kind.BINARY:
            value = 0.5
    return {
        "feature": feature.code,
        "op": op,
        "value": value,
        "unknown": bool(condition.get("unknown")),
    }


def _draft(version: SegmentVersion) -> None:
    if version.status != VersionStatus.DRAFT:
        raise ValidationError(
            _("Hyväksyttyä versiota ei voi muuttaa. Tee uusi versio."), code="not_draft"
        )


def segment_update(
    *,
    actor: StaffMember,
    segment: Segment,
    names: Mapping[str, str],
    instructions: Mapping[str, str],
    rules: Any,
) -> Segment:
    version = version_get(actor, segment.version_id)
    _draft(version)
    name_fi = " ".join((names.get("fi") or "").split())
    if not name_fi:
        raise ValidationError(_("Anna segmentille nimi suomeksi."), code="name")
    cleaned = rules_clean(rules)
    with transaction.atomic():
        segment.name_fi = name_fi[:120]
        segment.name_sv = " ".join((names.get("sv") or "").split())[:120]
        segment.name_en = " ".join((names.get("en") or "").split())[:120]
        for language in ("fi", "sv", "en"):
            setattr(segment, f"instructions_{language}", (instructions.get(language) or "").strip())
        segment.rules_json = cleaned
        segment.save()
        version.checks_json = version_checks(version)
        version.save(update_fields=["checks_json"])
    return segment


def segment_save(
    *,
    actor: StaffMember,
    segment: Segment,
    names: Mapping[str, str],
    instructions: Mapping[str, str],
    rules: Any,
    steps: Sequence[Mapping[str, Any]],
    position: int | None = None,
) -> Segment:
    """A draft segment's names, instructions, criteria, process and place in the order, all
    or nothing."""
    with transaction.atomic():
        segment = segment_update(
            actor=actor, segment=segment, names=names, instructions=instructions, rules=rules
        )
        segment_steps_set(actor=actor, segment=segment, steps=steps)
        if position is not None and position != segment.position:
            segment_move(actor=actor, segment=segment, position=position)
    return segment


def segment_move(*, actor: StaffMember, segment: Segment, position: int) -> None:
    """Put a draft segment at ``position`` (1 = read first); the others keep their order.
    The first segment whose criterion holds is suggested, so the order matters."""
    version = version_get(actor, segment.version_id)
    _draft(version)
    with transaction.atomic():
        ordered = list(
            Segment.objects.select_for_update().filter(version=version).order_by("position")
        )
        if not 1 <= position <= len(ordered):
            raise ValidationError(
                {"position": [_("Järjestyksen on oltava 1–%(n)s.") % {"n": len(ordered)}]}
            )
        others = [s for s in ordered if s.pk != segment.pk]
        others.insert(position - 1, next(s for s in ordered if s.pk == segment.pk))
        # Out of the way first (positions are unique within a version), then in order.
        offset = len(ordered) + 1
        for s in ordered:
            Segment.objects.filter(pk=s.pk).update(position=s.position + offset)
        for number, s in enumerate(others, start=1):
            Segment.objects.filter(pk=s.pk).update(position=number)
        version.checks_json = version_checks(version)
        version.save(update_fields=["checks_json"])


def version_ruleset(version: SegmentVersion) -> list[SegmentRules]:
    return ruleset_from_json(
        [{"code": s.code, "rules": s.rules_json} for s in version.segments.order_by("position")]
    )


def version_checks(version: SegmentVersion) -> dict[str, Any]:
    """Agreement with the analysis' clusters and the fairness check, over its data set."""
    codes, values, labels = dataset_unpack(version.analysis.dataset)
    columns = features()
    present = [codes.index(f.code) if f.code in codes else -1 for f in columns]
    matrix = np.full((len(values), len(columns)), np.nan)
    for j, i in enumerate(present):
        if i >= 0:
            matrix[:, j] = values[:, i]
    ruleset = version_ruleset(version)
    assigned = rules_assign(matrix, ruleset)
    # Segment i of the version answers for the cluster its code names (s3 → label 2).
    cluster_of = np.asarray([*(segment_label(s.code) for s in ruleset), -1])
    k = int(labels.max()) + 1 if len(labels) else 0
    agreed = agreement(labels, cluster_of[assigned], k)
    index = feature_index()

    def counts(rows: NDArray[np.bool_] | slice) -> dict[str, dict[str, int]]:
        return {
            key: _distribution(matrix[rows, index[code]], columns[index[code]])
            for key, code in (("sex", "sex"), ("age", "age_group"))
        }

    fairness = []
    for s, segment in enumerate([*ruleset, None]):
        inside = assigned == (s if segment is not None else -1)
        fairness.append(
            {"code": segment.code if segment else "", "size": int(inside.sum()), **counts(inside)}
        )
    refers = sorted(
        {
            c.feature
            for segment in ruleset
            for rule in segment.rules
            for c in rule.conditions
            if c.feature in ("sex", "age_group")
        }
    )
    return {
        "agreement": _agreement_json(agreed),
        "fairness": fairness,
        "whole": {"size": len(matrix), **counts(slice(None))},
        "refers_to_sex_or_age": refers,
    }


def _distribution(column: NDArray[np.float64], feature: Feature) -> dict[str, int]:
    counts = {code: int((column == i).sum()) for i, code in enumerate(feature.choices)}
    counts[""] = int(np.isnan(column).sum())
    return counts


def segment_version_approve(*, actor: StaffMember, version: SegmentVersion) -> SegmentVersion:
    """Approve a draft: every segment named by people (not the draft's "Segmentti N"), with a
    criterion, instructions and a service process; the previous approved version retires.
    Everything missing is said at once."""
    version = version_get(actor, version.pk)
    _draft(version)
    segments = list(version.segments.prefetch_related("steps"))
    if not segments:
        raise ValidationError(_("Versiossa ei ole segmenttejä."), code="empty")
    problems = []
    for segment in segments:
        default = _("Segmentti %(n)s") % {"n": segment.code.removeprefix("s")}
        missing = []
        if not segment.name_fi.strip() or segment.name_fi == default:
            missing.append(_("nimi"))
        if not segment.rules_json:
            missing.append(_("kriteeri"))
        if not segment.instructions_fi.strip():
            missing.append(_("ohjeet"))
        if not segment.steps.all():
            missing.append(_("palveluprosessi"))
        if missing:
            problems.append(
                _("%(segment)s: puuttuu %(missing)s.")
                % {"segment": segment.name, "missing": ", ".join(missing)}
            )
    if problems:
        raise ValidationError(problems, code="incomplete")
    checks = version_checks(version)
    if checks["refers_to_sex_or_age"]:
        raise ValidationError(_("Kriteerit eivät saa perustua sukupuoleen eikä ikään."))
    with transaction.atomic():
        SegmentVersion.objects.select_for_update().filter(
            organisation=version.organisation, status=VersionStatus.APPROVED
        ).update(status=VersionStatus.RETIRED)
        version.status = VersionStatus.APPROVED
        version.approved_by = actor
        version.approved_at = timezone.now()
        version.checks_json = checks
        version.save(update_fields=["status", "approved_by", "approved_at", "checks_json"])
    return version


def segment_steps_set(
    *, actor: StaffMember, segment: Segment, steps: Sequence[Mapping[str, Any]]
) -> list[ProcessStep]:
    """Replace a draft segment's service process: each step what (fi; sv and en optional),
    who (a role), by when (days from the start of the path) and catalogue services."""
    version = version_get(actor, segment.version_id)
    _draft(version)
    cleaned = [_step_clean(step) for step in steps]
    wanted = {sid for step in cleaned for sid in step["services"]}
    found = {s.source_id: s for s in Service.objects.filter(source_id__in=wanted)}
    missing = sorted(wanted - set(found))
    if missing:
        raise ValidationError(
            _("Palvelua ei löydy palveluluettelosta: %(ids)s.") % {"ids": ", ".join(missing)},
            code="service",
        )
    with transaction.atomic():
        segment.steps.all().delete()
        made = []
        for position, step in enumerate(cleaned, start=1):
            row = ProcessStep.objects.create(
                segment=segment,
                position=position,
                title_fi=step["title"]["fi"],
                title_sv=step["title"]["sv"],
                title_en=step["title"]["en"],
                responsible=step["responsible"],
                due_days=step["due_days"],
            )
            row.services.set([found[sid] for sid in step["services"]])
            made.append(row)
    return made


MAX_DUE_DAYS = 730


def _step_clean(step: Mapping[str, Any]) -> dict[str, Any]:
    title = step.get("title") or {}
    if not isinstance(title, Mapping):
        title = {"fi": str(title)}
    texts = {
        lang: " ".join(str(title.get(lang) or "").split())[:200] for lang in ("fi", "sv", "en")
    }
    if not texts["fi"]:
        raise ValidationError(_("Kirjoita, mitä vaiheessa tehdään."), code="title")
    responsible = str(step.get("responsible") or "")
    if responsible not in Role.values:
        raise ValidationError(_("Valitse, kuka vaiheesta vastaa."), code="responsible")
    try:
        due_days = int(step.get("due_days"))  # type: ignore[arg-type]
    except (TypeError, ValueError) as error:
        raise ValidationError(_("Anna määräaika päivinä."), code="due_days") from error
    if not 0 <= due_days <= MAX_DUE_DAYS:
        raise ValidationError(
            _("Määräajan on oltava 0–%(n)s päivää polun alusta.") % {"n": MAX_DUE_DAYS},
            code="due_days",
        )
    services = step.get("services") or []
    if not isinstance(services, list | tuple) or not all(isinstance(s, str) for s in services):
        raise ValidationError(_("Palvelut ovat virheellisessä muodossa."), code="service")
    return {
        "title": texts,
        "responsible": responsible,
        "due_days": due_days,
        "services": list(services),
    }


REASON_MAX = 2000


def segment_suggestion_decide(
    *,
    actor: StaffMember,
    client_id: uuid.UUID,
    segment_id: int | None,
    reason: str = "",
    at: dt.datetime | None = None,
) -> SegmentSuggestion:
    """A professional confirms the suggested segment or chooses another (or none) with a reason.

    The only way a client gets a segment. The suggestion is worked out again here from what the
    actor may read, so what is stored is what the rules say now; who decided, when and why are
    kept, and earlier decisions stay as the client's segment history. Who may decide: whoever
    may write assessments for their own organisation, which has an approved version.
    """
    require_capability(actor, Capability.CLIENT_RECORD_WRITE)
    at = at or timezone.now()
    access = client_access_decide(
        staff=actor, client_id=client_id, purpose="segment suggestion", at=at, action=Action.UPDATE
    )
    write = access.may_write(SUGGESTION_CATEGORY)
    if not write.allowed:
        raise deny_and_log(
            staff=actor,
            client_id=client_id,
            action=Action.UPDATE,
            at=at,
            purpose="segment suggestion",
        )
    live = suggestion_live(access, timezone.localdate(at))
    if live is None:
        raise ValidationError(
            _("Organisaatiollasi ei ole hyväksyttyjä asiakassegmenttejä."), code="no_version"
        )
    by_id = {s.pk: s for s in live.segments}
    if segment_id is not None and segment_id not in by_id:
        raise ValidationError({"segment": [_("Valitse segmentti luettelosta.")]})
    chosen = by_id.get(segment_id) if segment_id is not None else None
    reason = (reason or "").strip()
    confirmed = chosen == live.suggested  # the segment suggested, or none when none was
    if not confirmed and not reason:
        raise ValidationError(
            {"reason": [_("Kerro lyhyesti, miksi valitset toisin kuin kriteerit ehdottavat.")]}
        )
    if len(reason) > REASON_MAX:
        raise ValidationError(
            {"reason": [_("Perustelu saa olla enintään %(n)s merkkiä.") % {"n": REASON_MAX}]}
        )
    with transaction.atomic():
        suggestion = SegmentSuggestion.objects.create(
            client_id=client_id,
            owner_organisation_id=actor.organisation_id,
            category=SUGGESTION_CATEGORY,
            created_at=at,
            version=live.version,
            suggested=live.suggested,
            rule=live.rule,
            state=SuggestionState.CONFIRMED if confirmed else SuggestionState.CHANGED,
            chosen=chosen,
            decided_by=actor,
            decided_at=at,
            reason=reason,
        )
        reads = reads_from(live.read, object_type=SUGGESTION_OBJECT, object_id=str(client_id))
        access_log_append(
            actor=actor,
            events=[
                *read_events(access, reads),
                LogEvent(
                    action=Action.CREATE,
                    outcome=Outcome.ALLOWED,
                    client_id=client_id,
                    categories=[SUGGESTION_CATEGORY],
                    basis=write.basis,
                    object_type=SUGGESTION_OBJECT,
                    object_id=str(suggestion.pk),
                    purpose=f"segment {suggestion.state}",
                ),
            ],
            at=at,
        )
    return suggestion


def segment_process_to_plan(
    *,
    actor: StaffMember,
    client_id: uuid.UUID,
    plan_id: uuid.UUID,
    at: dt.datetime | None = None,
) -> PlanVersion:
    """Copy the service process of the client's decided segment into a plan as actions, in
    one step: a new plan version (the plans' own checks, log and parties). Steps already in the
    plan are not copied again; each step's deadline counts from the path's start."""
    require_capability(actor, Capability.CLIENT_RECORD_WRITE)
    at = at or timezone.now()
    access = client_access_decide(
        staff=actor, client_id=client_id, purpose="segment process", at=at, action=Action.UPDATE
    )
    decided = (
        suggestions_readable(access)
        .filter(owner_organisation_id=actor.organisation_id)
        .exclude(state=SuggestionState.OPEN)
        .first()
    )
    plan = Plan.objects.filter(pk=plan_id, client_id=client_id).select_related("case").first()
    if plan is None:
        raise deny_and_log(
            staff=actor, client_id=client_id, action=Action.UPDATE, at=at, purpose="plan"
        )
    if decided is None or decided.chosen is None:
        raise ValidationError(
            _("Asiakkaalle ei ole vahvistettu segmenttiä, jonka palveluprosessin voisi kopioida."),
            code="no_segment",
        )
    current = PlanVersion.objects.get(plan=plan, number=plan.current_number).content
    have = {a.what for a in current.actions}
    start = plan.case.started_on or plan.case.referred_on
    added = []
    with translation.override(plan.language or "fi"):
        for step in decided.chosen.steps.prefetch_related("services").order_by("position"):
            services = sorted(step.services.all(), key=lambda s: s.name)
            what = f"{step.title} ({step.get_responsible_display()})"
            if len(services) > 1:
                what += " – " + _("myös: %(names)s") % {
                    "names": ", ".join(s.name for s in services[1:])
                }
            if what in have:
                continue
            added.append(
                {
                    "what": what,
                    "service_id": str(services[0].pk) if services else "",
                    "due_on": (start + dt.timedelta(days=step.due_days)).isoformat(),
                    "status": "planned",
                }
            )
    if not added:
        raise ValidationError(
            _("Palveluprosessin vaiheet ovat jo suunnitelmassa."), code="nothing_to_copy"
        )
    content = current.as_json()
    content["actions"] = [*content["actions"], *added]
    try:
        return plan_revise(
            actor=actor,
            plan_id=plan.pk,
            base_number=plan.current_number,
            content=content,
            note=_("Segmentin %(name)s palveluprosessi") % {"name": decided.chosen.name},
            at=at,
        )
    except PlanConflict as error:
        raise ValidationError(
            _("Joku tallensi suunnitelman juuri. Yritä uudelleen."), code="conflict"
        ) from error
