from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "tyollisyystalo.demo"
    label = "demo"
    verbose_name = "Demo"
