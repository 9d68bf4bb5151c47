"""Forms of the service path pages; the services check everything again before writing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tyollisyystalo.access.policy import Capability, roles_with
from tyollisyystalo.cases.models import OPEN, CaseOutcome, CaseStatus, EntryRoute
from tyollisyystalo.organisations.models import Organisation
from tyollisyystalo.shared.forms import DateInput, ListSelect
from tyollisyystalo.staff.models import StaffMember


def _case_managers(organisation_id: int) -> Any:
    return StaffMember.objects.filter(
        organisation_id=organisation_id,
        is_active=True,
        role__in=roles_with(Capability.CASE_MANAGE),
    ).select_related("user", "organisation")


class CaseOpenForm(forms.Form):
    entry_route = forms.ChoiceField(
        label=_("Mitä kautta asiakas tuli?"), choices=EntryRoute.choices, widget=forms.RadioSelect
    )
    referred_on = forms.DateField(label=_("Ohjauksen tai yhteydenoton päivä"), widget=DateInput())
    referrer_organisation = forms.ModelChoiceField(
        label=_("Ohjannut organisaatio"),
        queryset=Organisation.objects.order_by("name_fi"),
        required=False,
    )
    referrer_name = forms.CharField(label=_("Ohjaaja"), max_length=150, required=False)
    coordinator = forms.ModelChoiceField(
        label=_("Vastuuhenkilö"), queryset=StaffMember.objects.none()
    )
    deputy = forms.ModelChoiceField(
        label=_("Varahenkilö"), queryset=StaffMember.objects.none(), required=False
    )
    reason = forms.CharField(
        label=_("Miksi asiakas ohjattiin?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Lyhyesti ja asiallisesti; asiakas voi lukea tämän."),
    )

    def __init__(self, *args: Any, staff: StaffMember, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).update(
            {"referred_on": timezone.localdate(), "coordinator": staff.pk}
        )
        super().__init__(*args, **kwargs)
        managers = _case_managers(staff.organisation_id)
        self.fields["coordinator"].queryset = managers  # type: ignore[attr-defined]
        self.fields["deputy"].queryset = managers  # type: ignore[attr-defined]


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(label=_("Uusi tila"), choices=CaseStatus.choices)
    on = forms.DateField(label=_("Päivämäärä"), widget=DateInput())
    outcome = forms.ChoiceField(
        label=_("Lopputulos (kun polku päättyy)"),
        choices=[("", _("Ei lopputulosta")), *CaseOutcome.choices],
        required=False,
    )
    reason = forms.CharField(
        label=_("Perustelu"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, statuses: list[str] | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("on", timezone.localdate())
        super().__init__(*args, **kwargs)
        if statuses is not None:
            self.offer(statuses)

    def offer(self, statuses: list[str]) -> None:
        """Offer only the states the path may move to now (also when a refused change is shown
        again: the posted form was checked against every state)."""
        labels = dict(CaseStatus.choices)
        self.fields["to_status"].choices = [(s, labels[s]) for s in statuses]  # type: ignore[attr-defined]


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=[(CaseOutcome.JOB_OR_STUDY, CaseOutcome.JOB_OR_STUDY.label)],
        widget=forms.HiddenInput,
        initial=CaseOutcome.JOB_OR_STUDY,
    )
    on = forms.DateField(label=_("Työ tai opiskelu alkoi"), widget=DateInput())
    reason = forms.CharField(
        label=_("Lisätieto"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("on", timezone.localdate())
        super().__init__(*args, **kwargs)


class ReviewForm(forms.Form):
    deadline_id = forms.IntegerField(widget=forms.HiddenInput)
    held_on = forms.DateField(label=_("Arviointi pidettiin"), widget=DateInput())
    summary = forms.CharField(
        label=_("Yhteenveto"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Mitä on saavutettu, mitä seuraavaksi. Asiakas voi lukea tämän."),
    )


class InviteForm(forms.Form):
    staff_member = forms.IntegerField(label=_("Työntekijä"), widget=forms.RadioSelect)
    role_in_case = forms.CharField(
        label=_("Tehtävä asiakkaan asiassa"),
        max_length=100,
        help_text=_("Esimerkiksi terveystarkastus, kuntoutuksen suunnittelu tai työkokeilu."),
    )


class CoordinatorForm(forms.Form):
    coordinator = forms.ModelChoiceField(
        label=_("Vastuuhenkilö"), queryset=StaffMember.objects.none()
    )
    deputy = forms.ModelChoiceField(
        label=_("Varahenkilö"), queryset=StaffMember.objects.none(), required=False
    )
    reason = forms.CharField(label=_("Perustelu"), required=False, max_length=1000)

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        managers = _case_managers(organisation_id)
        self.fields["coordinator"].queryset = managers  # type: ignore[attr-defined]
        self.fields["deputy"].queryset = managers  # type: ignore[attr-defined]


class ConsultationForm(forms.Form):
    held_on = forms.DateField(label=_("Päivä"), widget=DateInput())
    title = forms.CharField(label=_("Aihe"), max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("held_on", timezone.localdate())
        super().__init__(*args, **kwargs)


class AgendaForm(forms.Form):
    consultation = forms.IntegerField(label=_("Konsultaatio"), widget=forms.Select)
    question = forms.CharField(
        label=_("Kysymys tiimille"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DecisionForm(forms.Form):
    decisions = forms.CharField(
        label=_("Mitä sovittiin"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class TaskForm(forms.Form):
    description = forms.CharField(label=_("Tehtävä"), max_length=1000)
    responsible = forms.IntegerField(label=_("Vastuuhenkilö"), widget=forms.Select)
    due_on = forms.DateField(label=_("Määräpäivä"), widget=DateInput())


class CaseloadForm(forms.Form):
    """The filters of My clients (GET): every field may be left empty."""

    rooli = forms.ChoiceField(
        label=_("Roolisi"),
        required=False,
        widget=ListSelect,
        choices=[
            ("", _("Kaikki")),
            ("vastuu", _("Vastuuhenkilö")),
            ("vara", _("Varahenkilö")),
            ("tiimi", _("Tiimin jäsen")),
        ],
    )
    tila = forms.ChoiceField(label=_("Tila"), required=False, widget=ListSelect)
    kunta = forms.ChoiceField(label=_("Kotikunta"), required=False, widget=ListSelect)
    myohassa = forms.BooleanField(label=_("Vain myöhässä olevat"), required=False)
    jarjestys = forms.ChoiceField(
        label=_("Järjestys"),
        required=False,
        widget=ListSelect,
        choices=[
            ("seuraava", _("Seuraava määräaika")),
            ("nimi", _("Nimi")),
            ("tila", _("Tila")),
            ("ohjattu", _("Uusimmat ensin")),
        ],
    )

    def __init__(self, *args: Any, municipalities: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(CaseStatus.choices)
        self.fields["tila"].choices = [("", _("Kaikki avoimet"))] + [  # type: ignore[attr-defined]
            (status, labels[status]) for status in OPEN
        ]
        self.fields["kunta"].choices = [("", _("Kaikki")), *municipalities]  # type: ignore[attr-defined]
