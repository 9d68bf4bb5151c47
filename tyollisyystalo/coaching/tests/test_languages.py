"""The coach's pages in Finnish, Swedish and English: the forms' texts come from the
definitions in the chosen language, and a refused answer is explained in it."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from conftest import login
from tyollisyystalo.coaching import services

pytestmark = pytest.mark.django_db

EXPECTED = {
    "fi": ("Ammatillinen profiili", "Valmennusjakso", "Tämä tieto on pakollinen."),
    "sv": ("Yrkesprofil", "Coachningsperiod", "Denna uppgift är obligatorisk."),
    "en": ("Vocational profile", "Coaching period", "This is required."),
}


@pytest.mark.parametrize("language", sorted(EXPECTED))
def test_coaching_pages_in_each_language(client, coached, ville, language):
    period = services.period_start(
        actor=ville,
        client_id=coached.pk,
        kind="ips",
        intensity="light",
        started_on=timezone.localdate() - dt.timedelta(days=5),
    )
    login(client, ville)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    form_title, page_title, _required = EXPECTED[language]
    detail = client.get(reverse("coaching:detail", kwargs={"period_id": period.pk}))
    assert detail.status_code == 200
    assert f'<html lang="{language}">' in detail.text
    assert page_title in detail.text
    url = reverse("coaching:form", kwargs={"period_id": period.pk, "code": "A"})
    assert form_title in client.get(url).text
    refused = client.post(url, {"education": "   ", "own_goal": "x"})
    assert refused.status_code == 400
    assert client.get(reverse("coaching:index")).status_code == 200
    for name in ("C", "E"):
        page = client.get(reverse("coaching:form", kwargs={"period_id": period.pk, "code": name}))
        assert page.status_code == 200
    assert (
        client.get(reverse("coaching:meeting", kwargs={"period_id": period.pk})).status_code == 200
    )


@pytest.mark.parametrize("language", sorted(EXPECTED))
def test_definition_messages_follow_the_active_language(coached, ville, language):
    period = services.period_start(actor=ville, client_id=coached.pk, kind="ips", intensity="light")
    with translation.override(language), pytest.raises(ValidationError) as exc:
        services.form_answer_save(
            actor=ville, period_id=period.pk, form="A", answers={}, language=language
        )
    assert EXPECTED[language][2] in exc.value.message_dict["own_goal"]
