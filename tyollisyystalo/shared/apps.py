from django.apps import AppConfig


class SharedConfig(AppConfig):
    name = "tyollisyystalo.shared"
    label = "shared"
