"""The provider's service form and the administrator's decision forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tyollisyystalo.catalogue import vocabularies as vocab
from tyollisyystalo.catalogue.models import NeedExpression, Service, Status
from tyollisyystalo.catalogue.revisions import EDITABLE_STATUSES, TEXT_FIELDS, Snapshot
from tyollisyystalo.catalogue.selectors import terms_of

TERM_FIELDS = {
    vocab.AREA: "areas",
    vocab.TARGET_GROUP: "target_groups",
    vocab.ACCESS: "access",
    vocab.CHANNEL: "channels",
}
LONG_TEXTS = {
    "description_fi",
    "description_sv",
    "description_en",
    "summary_easy_fi",
    "application_process_fi",
    "application_process_sv",
    "application_process_en",
    "fees_description_fi",
}


def _model_field(name: str, **kwargs: Any) -> forms.Field:
    field = Service._meta.get_field(name).formfield(**kwargs)  # type: ignore[union-attr]
    assert field is not None
    return field


def _languages_by_name() -> list[tuple[str, str]]:
    return [(name, code) for code, name in vocab.language_names().items()]


class ServiceEditForm(forms.Form):
    """The editable content of a service; converts to and from a revision snapshot."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in TEXT_FIELDS:
            if name == "status":
                continue
            options: dict[str, Any] = {}
            if name in LONG_TEXTS:
                options["widget"] = forms.Textarea(attrs={"rows": 5})
            if name == "url":
                options["assume_scheme"] = "https"
            self.fields[name] = _model_field(name, **options)
            self.fields[name].required = name in {"name_fi", "description_fi"}
        self.fields["summary_easy_fi"].widget.attrs["rows"] = 3
        self.fields["is_free"] = forms.BooleanField(label=_("Maksuton"), required=False)
        self.fields["status"] = forms.ChoiceField(
            label=_("Tila"),
            choices=[(s.value, s.label) for s in Status if s in EDITABLE_STATUSES],
            help_text=_("Tilapäisesti suljettu tai ei käytössä oleva palvelu näkyy asiakkaille."),
        )
        labels = {
            vocab.AREA: _("Elämän alueet"),
            vocab.TARGET_GROUP: _("Kenelle palvelu on"),
            vocab.ACCESS: _("Miten palveluun pääsee"),
            vocab.CHANNEL: _("Asiointitavat"),
        }
        for taxonomy, name in TERM_FIELDS.items():
            choices = [(t.code, t.name) for t in terms_of(taxonomy)]
            if taxonomy == vocab.ACCESS:
                self.fields[name] = forms.ChoiceField(
                    label=labels[taxonomy], choices=choices, widget=forms.RadioSelect
                )
            else:
                self.fields[name] = forms.MultipleChoiceField(
                    label=labels[taxonomy],
                    choices=choices,
                    required=taxonomy == vocab.AREA,
                    widget=forms.CheckboxSelectMultiple,
                )
        self.fields["languages"] = forms.MultipleChoiceField(
            label=_("Kielet, joilla palvelua saa"),
            choices=[(code, name) for name, code in sorted(_languages_by_name())],
            widget=forms.CheckboxSelectMultiple,
        )

    @classmethod
    def initial_from(cls, snapshot: Snapshot) -> dict[str, Any]:
        initial = {name: snapshot.get(name, "") for name in TEXT_FIELDS}
        initial["is_free"] = snapshot.get("is_free", True)
        for taxonomy, name in TERM_FIELDS.items():
            codes = snapshot.get("terms", {}).get(taxonomy, [])
            initial[name] = (codes[0] if codes else "") if taxonomy == vocab.ACCESS else codes
        initial["languages"] = snapshot.get("languages", [])
        return initial

    def snapshot(self) -> Snapshot:
        data = self.cleaned_data
        result: Snapshot = {name: data.get(name) or "" for name in TEXT_FIELDS}
        result["is_free"] = bool(data.get("is_free"))
        terms: dict[str, list[str]] = {}
        for taxonomy, name in TERM_FIELDS.items():
            value = data.get(name) or []
            terms[taxonomy] = [value] if isinstance(value, str) else list(value)
        result["terms"] = terms
        result["languages"] = list(data.get("languages") or [])
        return result

    def error_field(self, key: str) -> str:
        """The form field a service's error key (a field or a taxonomy code) belongs to."""
        return TERM_FIELDS.get(key, key)


class ReturnForm(forms.Form):
    prefix = "return"
    note = forms.CharField(
        label=_("Mitä pitää korjata?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PublishForm(forms.Form):
    prefix = "publish"
    note = forms.CharField(
        label=_("Huomautus muokkaajalle (vapaaehtoinen)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


MAX_NEED_LINES = 40
MAX_NEED_LINE = 100


class NeedExpressionForm(forms.Form):
    """A region editor's entry of the need vocabulary."""

    language = forms.ChoiceField(label=_("Kieli"), choices=NeedExpression.Language.choices)
    says = forms.CharField(
        label=_("Näin ihmiset sanovat"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Yksi ilmaus riville, niin kuin ihmiset sen kirjoittavat (esim. ei oo rahaa). "
            "Ilmaus osuu, kun sen kaikki sanat ovat haussa jossain muodossa."
        ),
    )
    means = forms.CharField(
        label=_("Palvelujen sanat"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Yksi sana tai ilmaus riville: palvelukuvausten sanat avulle."),
    )
    areas = forms.MultipleChoiceField(
        label=_("Elämän alueet"), required=False, widget=forms.CheckboxSelectMultiple
    )
    groups = forms.MultipleChoiceField(
        label=_("Kohderyhmät"), required=False, widget=forms.CheckboxSelectMultiple
    )
    reason = forms.CharField(
        label=_("Perustelu"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        help_text=_("Miksi nämä ilmaukset tarkoittavat tätä apua? Näkyy sanaston tarkistajille."),
    )
    is_active = forms.BooleanField(label=_("Käytössä haussa"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["areas"].choices = [(t.code, t.name) for t in terms_of(vocab.AREA)]  # type: ignore[attr-defined]
        self.fields["groups"].choices = [  # type: ignore[attr-defined]
            (t.code, t.name) for t in terms_of(vocab.TARGET_GROUP)
        ]

    def _lines(self, name: str) -> str:
        lines = [line.strip() for line in self.cleaned_data[name].splitlines() if line.strip()]
        if not lines:
            raise forms.ValidationError(_("Kirjoita vähintään yksi rivi."))
        if len(lines) > MAX_NEED_LINES:
            raise forms.ValidationError(
                _("Enintään %(n)s riviä yhteen kohtaan.") % {"n": MAX_NEED_LINES}
            )
        if any(len(line) > MAX_NEED_LINE for line in lines):
            raise forms.ValidationError(
                _("Rivi saa olla enintään %(n)s merkkiä.") % {"n": MAX_NEED_LINE}
            )
        return "\n".join(lines)

    def clean_says(self) -> str:
        return self._lines("says")

    def clean_means(self) -> str:
        return self._lines("means")
