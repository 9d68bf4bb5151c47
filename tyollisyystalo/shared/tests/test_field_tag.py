"""``{% field %}`` writes the same HTML in Python as ``_field.html`` does."""

from typing import Any

import pytest
from django import forms
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from tyollisyystalo.shared.forms import ListSelect
from tyollisyystalo.shared.templatetags.ui import _field_context


class Sample(forms.Form):
    name = forms.CharField(label="Nimi & <sukunimi>", max_length=5)
    note = forms.CharField(
        label="Huomio", required=False, help_text='Ohje "lainattu" & <b>', widget=forms.Textarea
    )
    sector = forms.ChoiceField(
        label=mark_safe("Toimiala <em>valinta</em>"),
        choices=[("", "Kaikki"), ("a", "A & B")],
        widget=ListSelect,
    )
    late = forms.BooleanField(label="Vain myöhässä", required=False, help_text="Ohje")
    agree = forms.BooleanField(label="Hyväksyn")
    days = forms.IntegerField(label="Päiviä", required=False)
    kind = forms.ChoiceField(
        label="Laji", choices=[("x", "X"), ("y", "Y")], widget=forms.RadioSelect
    )

    def clean(self) -> dict[str, Any] | None:
        self.add_error("days", "Toinen <virhe> & muuta")
        return super().clean()


FORMS = [
    Sample(),
    Sample({"name": "liian pitkä nimi", "sector": "z", "days": "x"}),
    Sample({"name": "ok", "sector": "a", "agree": "on", "late": "on", "kind": "x"}),
    Sample(auto_id=False),
    Sample({"name": "ok"}, auto_id="f_%s", prefix="p"),
]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("language", ["fi", "sv"])
def test_same_html_as_the_template(form, language, settings):
    from django.utils import translation

    with translation.override(language):
        form.is_bound and form.is_valid()
        for bound in form:
            ours = Template("{% load ui %}{% field bound %}").render(Context({"bound": bound}))
            template = render_to_string("_field.html", _field_context(bound))
            assert ours == template, bound.name
