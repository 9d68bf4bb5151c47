from tyollisyystalo.catalogue.tests.conftest import catalogue, demo_data, municipalities  # noqa: F401
