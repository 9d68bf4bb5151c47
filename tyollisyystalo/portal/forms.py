"""Public search and the self-assessment: forms that work without JavaScript."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tyollisyystalo.catalogue.search.query import Filters
from tyollisyystalo.catalogue.selectors import terms_of
from tyollisyystalo.organisations.models import Municipality
from tyollisyystalo.portal.instrument import area_questions


def _choices(taxonomy: str) -> list[tuple[str, Any]]:
    return [("", _("Kaikki"))] + [(t.code, t.name) for t in terms_of(taxonomy)]


class ServiceSearchForm(forms.Form):
    q = forms.CharField(label=_("Mihin tarvitset apua?"), required=False, max_length=200)
    area = forms.ChoiceField(label=_("Elämän alue"), required=False)
    target_group = forms.ChoiceField(label=_("Kenelle"), required=False)
    municipality = forms.ChoiceField(label=_("Kunta"), required=False)
    service_type = forms.ChoiceField(label=_("Palvelun tarjoaja"), required=False)
    access = forms.ChoiceField(label=_("Miten pääsee"), required=False)
    language = forms.ChoiceField(label=_("Kieli"), required=False)
    channel = forms.ChoiceField(label=_("Asiointitapa"), required=False)
    free = forms.BooleanField(label=_("Vain maksuttomat"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = _choices("tt-area")  # type: ignore[attr-defined]
        self.fields["target_group"].choices = _choices("tt-target-group")  # type: ignore[attr-defined]
        self.fields["service_type"].choices = _choices("tt-service-type")  # type: ignore[attr-defined]
        self.fields["access"].choices = _choices("tt-access")  # type: ignore[attr-defined]
        self.fields["channel"].choices = _choices("tt-channel")  # type: ignore[attr-defined]
        self.fields["municipality"].choices = [("", _("Kaikki"))] + [  # type: ignore[attr-defined]
            (m.name_fi, m.name) for m in Municipality.objects.all()
        ]
        self.fields["language"].choices = [  # type: ignore[attr-defined]
            ("", _("Kaikki")),
            ("fi", _("suomi")),
            ("sv", _("ruotsi")),
            ("en", _("englanti")),
            ("ar", _("arabia")),
            ("ru", _("venäjä")),
            ("uk", _("ukraina")),
            ("so", _("somali")),
        ]

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            area=data.get("area", ""),
            target_group=data.get("target_group", ""),
            municipality=data.get("municipality", ""),
            service_type=data.get("service_type", ""),
            access=data.get("access", ""),
            language=data.get("language", ""),
            channel=data.get("channel", ""),
            free=True if data.get("free") else None,
        )


SCALE = [(str(n), str(n)) for n in range(11)]
# Optional facts about the person that sharpen the suggestions (not stored, as the answers).
MUNICIPALITY = "kunta"
TARGET_GROUP = "tilanne"


class SelfAssessmentForm(forms.Form):
    """Nine areas on a 0–10 scale; every area may be skipped. Nothing is stored."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = area_questions()
        for q in self.questions:
            self.fields[q.code] = forms.TypedChoiceField(
                label=q.question,
                choices=SCALE,
                coerce=int,
                required=False,
                empty_value=None,
                widget=forms.RadioSelect(attrs={"class": "scale"}),
                help_text=_("0 = %(low)s, 10 = %(high)s") % {"low": q.low, "high": q.high},
            )

        self.fields[MUNICIPALITY] = forms.ChoiceField(
            label=_("Kotikuntasi"),
            required=False,
            choices=[("", _("En halua kertoa"))]
            + [(m.name_fi, m.name) for m in Municipality.objects.all()],
            help_text=_("Ei pakollinen. Ehdotamme ensin palveluja, joita saat kunnassasi."),
        )
        self.fields[TARGET_GROUP] = forms.ChoiceField(
            label=_("Mikä kuvaa tilannettasi parhaiten?"),
            required=False,
            choices=[("", _("En halua kertoa"))]
            + [(t.code, t.name) for t in terms_of("tt-target-group").exclude(code="kaikki")],
            help_text=_("Ei pakollinen. Ehdotamme ensin tilanteeseesi tarkoitettuja palveluja."),
        )

    def scale_fields(self) -> list[forms.BoundField]:
        return [self[q.code] for q in self.questions]

    def about_fields(self) -> list[forms.BoundField]:
        return [self[MUNICIPALITY], self[TARGET_GROUP]]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if all(cleaned.get(q.code) is None for q in self.questions):
            raise forms.ValidationError(_("Vastaa vähintään yhteen kysymykseen."), code="empty")
        return cleaned
