"""The segment workshop's forms; the services check everything again before any write."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tyollisyystalo.catalogue.models import Service
from tyollisyystalo.catalogue.selectors import services_published
from tyollisyystalo.evaluation.forms import PurposeForm
from tyollisyystalo.segments.features import Kind, features
from tyollisyystalo.segments.services import K_RANGE, MAX_DUE_DAYS, MAX_RESAMPLES
from tyollisyystalo.staff.roles import Role

MAX_RULES = 9  # rules a segment's criteria may have in the editor


class AnalysisForm(PurposeForm):
    k_low = forms.IntegerField(
        label=_("Segmenttejä vähintään"),
        min_value=K_RANGE[0],
        max_value=K_RANGE[1],
        initial=2,
    )
    k_high = forms.IntegerField(
        label=_("Segmenttejä enintään"),
        min_value=K_RANGE[0],
        max_value=K_RANGE[1],
        initial=8,
        help_text=_("Analyysi kokeilee jokaista määrää ja valitsee pienimmän BIC-luvun mukaan."),
    )
    resamples = forms.IntegerField(
        label=_("Vakauden uudelleenotannat"),
        min_value=1,
        max_value=MAX_RESAMPLES,
        initial=10,
        help_text=_(
            "Montako kertaa analyysi toistetaan satunnaisella otoksella vakauden mittaamiseksi. "
            "Enemmän on luotettavampi mutta hitaampi."
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("k_low"), data.get("k_high")
        if low is not None and high is not None and low > high:
            self.add_error("k_high", _("Enimmäismäärä ei voi olla pienempi kuin vähimmäismäärä."))
        return data


class SegmentForm(forms.Form):
    position = forms.IntegerField(
        label=_("Järjestys"),
        min_value=1,
        max_value=99,
        help_text=_(
            "Segmentit käydään läpi järjestyksessä, ja asiakkaalle ehdotetaan ensimmäistä, "
            "jonka kriteeri täyttyy. Laita tarkimmin rajatut segmentit ensin."
        ),
    )
    name_fi = forms.CharField(label=_("Nimi suomeksi"), max_length=120)
    name_sv = forms.CharField(label=_("Nimi ruotsiksi"), max_length=120, required=False)
    name_en = forms.CharField(label=_("Nimi englanniksi"), max_length=120, required=False)
    instructions_fi = forms.CharField(
        label=_("Ohjeet ohjaukseen suomeksi"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Mitä koordinaattori tekee tämän segmentin asiakkaan kanssa."),
    )
    instructions_sv = forms.CharField(
        label=_("Ohjeet ohjaukseen ruotsiksi"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    instructions_en = forms.CharField(
        label=_("Ohjeet ohjaukseen englanniksi"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


BLANK = ("", "—")
OP_CHOICES = [
    BLANK,
    ("gt", _("kyllä / yli")),
    ("le", _("ei / enintään")),
    ("eq", _("on")),
    ("ne", _("ei ole")),
]


def _feature_choices() -> list[tuple[str, str]]:
    return [BLANK, *((f.code, f.title()) for f in features() if f.modelled)]


def _category_choices() -> list[tuple[str, Any]]:
    groups: list[tuple[str, Any]] = [("", _("(ei luokkaa)"))]
    for feature in features():
        if feature.kind == Kind.CATEGORY and feature.modelled:
            groups.append(
                (
                    feature.title(),
                    [(code, feature.choice_label(i)) for i, code in enumerate(feature.choices)],
                )
            )
    return groups


class ConditionForm(forms.Form):
    """One condition of one rule: rules are the conditions that share a number, all of which
    must hold; the segment fits a client when any of its rules holds."""

    rule = forms.IntegerField(label=_("Kriteeri nro"), min_value=1, max_value=MAX_RULES)
    feature = forms.ChoiceField(label=_("Tieto"), choices=_feature_choices)
    op = forms.ChoiceField(label=_("Vertailu"), choices=OP_CHOICES)
    number = forms.DecimalField(
        label=_("Raja"),
        required=False,
        min_value=0,
        max_value=600,
        decimal_places=1,
        help_text=_("Pistemäärälle tai kuukausille."),
    )
    category = forms.ChoiceField(label=_("Luokka"), required=False, choices=_category_choices)
    unknown = forms.BooleanField(label=_("Täyttyy myös, kun tietoa ei ole"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        by_code = {f.code: f for f in features()}
        feature = by_code.get(data.get("feature") or "")
        op = data.get("op")
        if feature is None or op is None:
            return data
        if feature.kind == Kind.CATEGORY:
            if op not in ("eq", "ne"):
                self.add_error("op", _("Valitse luokalle ”on” tai ”ei ole”."))
            if data.get("category") not in feature.choices:
                self.add_error(
                    "category",
                    _("Valitse luokka tiedolle %(feature)s.") % {"feature": feature.title()},
                )
            return data
        if op not in ("gt", "le"):
            self.add_error("op", _("Valitse ”kyllä / yli” tai ”ei / enintään”."))
        if (
            feature.kind == Kind.SCORE
            and data.get("number") is None
            and "number" not in self.errors
        ):
            self.add_error(
                "number", _("Anna raja tiedolle %(feature)s.") % {"feature": feature.title()}
            )
        return data

    def condition(self) -> dict[str, Any]:
        """The condition as the service takes it."""
        data = self.cleaned_data
        by_code = {f.code: f for f in features()}
        kind = by_code[data["feature"]].kind
        value: Any
        if kind == Kind.CATEGORY:
            value = data["category"]
        elif kind == Kind.BINARY:
            value = 0.5
        else:
            value = float(data["number"])
        return {
            "feature": data["feature"],
            "op": data["op"],
            "value": value,
            "unknown": data["unknown"],
        }


def rows_filled(formset: forms.BaseFormSet[Any]) -> list[forms.Form]:
    """The rows of a valid formset that say something: empty new rows and rows marked for
    deletion are left out."""
    deleted = {id(form) for form in formset.deleted_forms} if formset.can_delete else set()
    return [form for form in formset.forms if form.has_changed() and id(form) not in deleted]


ConditionFormSet = forms.formset_factory(
    ConditionForm, extra=2, can_delete=True, max_num=40, validate_max=True
)


def conditions_initial(rules: list[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """The editor's rows from stored rules."""
    by_code = {f.code: f for f in features()}
    rows = []
    for number, rule in enumerate(rules, start=1):
        for c in rule:
            kind = by_code[c["feature"]].kind if c["feature"] in by_code else Kind.BINARY
            rows.append(
                {
                    "rule": number,
                    "feature": c["feature"],
                    "op": c["op"],
                    "number": c["value"] if kind == Kind.SCORE else None,
                    "category": c["value"] if kind == Kind.CATEGORY else "",
                    "unknown": bool(c.get("unknown")),
                }
            )
    return rows


def rules_from(formset: forms.BaseFormSet[Any]) -> list[list[dict[str, Any]]]:
    """The rules of the edited rows, by rule number."""
    grouped: dict[int, list[dict[str, Any]]] = {}
    for form in rows_filled(formset):
        assert isinstance(form, ConditionForm)
        grouped.setdefault(form.cleaned_data["rule"], []).append(form.condition())
    return [grouped[number] for number in sorted(grouped)]


class StepForm(forms.Form):
    title_fi = forms.CharField(label=_("Mitä tehdään (suomeksi)"), max_length=200)
    title_sv = forms.CharField(label=_("Mitä tehdään (ruotsiksi)"), max_length=200, required=False)
    title_en = forms.CharField(
        label=_("Mitä tehdään (englanniksi)"), max_length=200, required=False
    )
    responsible = forms.ChoiceField(label=_("Kuka vastaa"), choices=[BLANK, *Role.choices])
    due_days = forms.IntegerField(
        label=_("Määräaika (päivää polun alusta)"), min_value=0, max_value=MAX_DUE_DAYS
    )
    services = forms.ModelMultipleChoiceField(
        label=_("Palvelut palvelukartalta"),
        queryset=services_published().order_by("name_fi"),
        to_field_name="source_id",
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
        help_text=_("Valitse useampi pitämällä Ctrl-näppäintä pohjassa."),
    )

    def step(self) -> dict[str, Any]:
        data = self.cleaned_data
        services: list[Service] = list(data["services"])
        return {
            "title": {"fi": data["title_fi"], "sv": data["title_sv"], "en": data["title_en"]},
            "responsible": data["responsible"],
            "due_days": data["due_days"],
            "services": [s.source_id for s in services],
        }


StepFormSet = forms.formset_factory(
    StepForm, extra=1, can_delete=True, max_num=20, validate_max=True
)


def steps_initial(steps: Any) -> list[dict[str, Any]]:
    return [
        {
            "title_fi": s.title_fi,
            "title_sv": s.title_sv,
            "title_en": s.title_en,
            "responsible": s.responsible,
            "due_days": s.due_days,
            "services": [service.source_id for service in s.services.all()],
        }
        for s in steps
    ]


NO_SEGMENT = "none"


class SuggestionForm(forms.Form):
    """A person's decision on the suggested segment: the same one, another, or none."""

    segment = forms.ChoiceField(label=_("Asiakassegmentti"), widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Perustelu"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Tarvitaan, jos valitset toisin kuin kriteerit ehdottavat. Älä kirjoita "
            "terveystietoja tarpeettomasti."
        ),
    )

    def __init__(self, *args: Any, segments: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["segment"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            *((str(s.pk), s.name) for s in segments),
            (NO_SEGMENT, _("Ei mikään näistä segmenteistä")),
        ]

    def segment_id(self) -> int | None:
        value = self.cleaned_data["segment"]
        return None if value == NO_SEGMENT else int(value)


class ProcessToPlanForm(forms.Form):
    plan = forms.UUIDField(widget=forms.HiddenInput)
