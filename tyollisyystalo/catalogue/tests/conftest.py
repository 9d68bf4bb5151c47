import copy
import json
from pathlib import Path

import pytest
from django.conf import settings

from tyollisyystalo.catalogue.services import catalogue_import
from tyollisyystalo.organisations.models import Municipality

DEMO_FILE = Path(settings.BASE_DIR).parent / "shared" / "data" / "services_fi.json"


@pytest.fixture
def demo_data():
    """A fresh copy of the shared demo catalogue (140 services, 28 organisations)."""
    return copy.deepcopy(json.loads(DEMO_FILE.read_text(encoding="utf-8")))


@pytest.fixture
def municipalities(db):
    return [
        Municipality.objects.create(code=code, name_fi=name, name_sv=name)
        for code, name in (("X01", "Esimerkkilä"), ("X02", "Pohjala"), ("X03", "Järvikylä"))
    ]


@pytest.fixture
def catalogue(municipalities, demo_data):
    return catalogue_import(data=demo_data)
