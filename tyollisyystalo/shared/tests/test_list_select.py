"""``ListSelect`` writes the same HTML as Django's ``Select`` templates."""

import pytest
from django import forms

from tyollisyystalo.shared.forms import ListSelect

CHOICES = [
    ("", "Kaikki"),
    ("A", "Maatalous & <metsä>"),
    ("B", 'Kaivos "louhinta"'),
    ("Ryhmä", [("c1", "Yksi"), ("c2", "Kaksi")]),
    (3, "Numero"),
]


@pytest.mark.parametrize("value", [None, "", "A", "c2", "3", ["A"]])
@pytest.mark.parametrize(
    "attrs",
    [None, {"required": True, "aria-describedby": "x_help y", "disabled": False, "data-x": '"q"'}],
)
def test_same_html_as_django_select(value, attrs):
    ours = ListSelect(choices=CHOICES).render("sector", value, attrs=attrs)
    django = forms.Select(choices=CHOICES).render("sector", value, attrs=attrs)
    assert str(ours) == str(django)


@pytest.mark.django_db
def test_same_html_for_a_model_choice_field():
    from tyollisyystalo.organisations.models import Municipality

    town = Municipality.objects.order_by("code").first() or Municipality.objects.create(
        code="999", name_fi="Testilä", name_sv="Testby"
    )
    queryset = Municipality.objects.order_by("name_fi")[:5]
    ours = forms.ModelChoiceField(queryset=queryset, widget=ListSelect, empty_label="Kaikki")
    django = forms.ModelChoiceField(queryset=queryset, empty_label="Kaikki")
    html = str(ours.widget.render("municipality", town.pk))
    assert html == str(django.widget.render("municipality", town.pk))
    assert "Kaikki" in html
