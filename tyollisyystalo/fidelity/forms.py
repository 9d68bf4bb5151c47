from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tyollisyystalo.fidelity.definition import SCORES, Scale
from tyollisyystalo.fidelity.prefill import Prefill, figure_text
from tyollisyystalo.fidelity.services import (
    EVIDENCE_MAX,
    evidence_field,
    score_field,
)
from tyollisyystalo.shared.forms import DateInput
from tyollisyystalo.staff.models import StaffMember


class ReviewerField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: StaffMember) -> str:
        return f"{obj.display_name}, {obj.organisation}"


class ReviewForm(forms.Form):
    """The review date, reviewers, and for every item of the scale a score (each choice shows
    its anchor text) and an evidence note. Pre-filled items start at the figure's score."""

    reviewed_on = forms.DateField(label=_("Arviointipäivä"), widget=DateInput())
    reviewers = ReviewerField(
        label=_("Arvioijat"),
        queryset=StaffMember.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args: object,
        scale: Scale,
        reviewers: list[StaffMember],
        prefills: Mapping[str, Prefill],
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.scale = scale
        self.prefills = prefills
        field = self.fields["reviewers"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = StaffMember.objects.filter(pk__in=[s.pk for s in reviewers])
        language = get_language() or "fi"
        for item in scale.items:
            choices: list[tuple[str, str]] = [("", str(_("Ei vielä arvioitu")))]
            choices += [(str(s), f"{s} – {item.anchor(s, language)}") for s in SCORES]
            prefill = prefills.get(item.key)
            help_text = ""
            if prefill is not None:
                help_text = str(_("Tiedoista: %(figure)s. Ehdotus: %(score)s.")) % {
                    "figure": figure_text(prefill.as_json()),
                    "score": prefill.score if prefill.score is not None else "–",
                }
            self.fields[score_field(item.key)] = forms.TypedChoiceField(
                label=f"{item.number}. {item.title.get(language)}",
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                help_text=help_text,
            )
            self.fields[evidence_field(item.key)] = forms.CharField(
                label=str(_("Perustelu, kohta %(number)s")) % {"number": item.number},
                required=False,
                max_length=EVIDENCE_MAX,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self) -> list[tuple[str, list[tuple[forms.BoundField, forms.BoundField]]]]:
        """The item fields by section, for the template."""
        language = get_language() or "fi"
        return [
            (
                section.name.get(language),
                [
                    (self[score_field(item.key)], self[evidence_field(item.key)])
                    for item in self.scale.items
                    if item.section == section.key
                ],
            )
            for section in self.scale.sections
        ]


class ActionForm(forms.Form):
    item_key = forms.ChoiceField(label=_("Kohta"), choices=())
    what = forms.CharField(
        label=_("Mitä tehdään"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    who = forms.CharField(label=_("Kuka vastaa"), max_length=200)
    due_on = forms.DateField(label=_("Mihin mennessä"), widget=DateInput())

    def __init__(self, *args: object, items: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["item_key"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = items
