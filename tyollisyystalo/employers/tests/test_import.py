import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import login
from tyollisyystalo.employers.models import ContactPerson, Employer, EmployerContact

HEADER = (
    "nimi;y-tunnus;toimiala;kunta;koko;yhteyshenkilö;puhelin;sähköposti;viimeisin;muistiinpanot\n"
)
GOOD = (
    HEADER
    + "Kahvila Koivu Oy;1234567-1;I;X01;micro;Maija Malli;040 1;maija@example.com;3.2.2026;Soitettu\n"
    + "Varasto Oy;;H;Esimerkkilä;small;;;;;\n"
)


def upload(http, team, text, *, encoding="utf-8", confirm=False):
    url = reverse("employers:import", kwargs={"pk": team.pk})
    if confirm:
        return http.post(url, {"text": text, "confirm": "1"})
    return http.post(url, {"file": SimpleUploadedFile("t.csv", text.encode(encoding))})


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"])
@pytest.mark.parametrize("separator", [";", ","])
def test_preview_then_confirm_imports_all(client, coach, team, town, encoding, separator):
    login(client, coach)
    text = GOOD.replace(";", separator)
    preview = upload(client, team, text, encoding=encoding)
    assert preview.status_code == 200
    assert not Employer.objects.exists()
    done = upload(client, team, text, confirm=True)
    assert done.status_code == 302
    assert set(Employer.objects.values_list("name", "business_id")) == {
        ("Kahvila Koivu Oy", "1234567-1"),
        ("Varasto Oy", ""),
    }
    assert ContactPerson.objects.get().name == "Maija Malli"
    contact = EmployerContact.objects.get()
    assert str(contact.contacted_on) == "2026-02-03"


@pytest.mark.django_db
def test_any_error_row_writes_nothing_and_reports_each_row(client, coach, team, town, employer):
    login(client, coach)
    text = GOOD + "Virhe Oy;1234567-2;C;;;;;;;\n" + ";;Ö;Tuntematon;huge;;;ei-osoite;32.1.2026;\n"
    response = upload(client, team, text)
    assert response.status_code == 400
    assert "1234567-2 ei kelpaa" in response.text
    assert "Nimi puuttuu" in response.text
    assert "on jo rekisterissä" in response.text  # the fixture employer has 1234567-1
    confirm = upload(client, team, text, confirm=True)
    assert confirm.status_code == 400
    assert Employer.objects.count() == 1
    assert not ContactPerson.objects.exists()


@pytest.mark.django_db
def test_not_utf8_is_400(client, coach, team):
    login(client, coach)
    response = upload(client, team, GOOD.replace("ä", "ä"), encoding="latin-1")
    assert response.status_code == 400
    assert "UTF-8" in response.text
    assert not Employer.objects.exists()


@pytest.mark.django_db
def test_other_team_cannot_import(client, other_coach, team):
    login(client, other_coach)
    assert upload(client, team, GOOD).status_code == 404
    assert not Employer.objects.exists()
