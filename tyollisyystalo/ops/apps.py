from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operating the service: health probes, response headers, deploy checks, JSON logs."""

    name = "tyollisyystalo.ops"
    label = "ops"

    def ready(self) -> None:
        from tyollisyystalo.ops import checks  # noqa: F401  (registers the deploy checks)
