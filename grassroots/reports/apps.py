from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Home page, statistics and dashboards: composes the domain apps; no app depends on it."""

    name = "grassroots.reports"
    label = "reports"

    def ready(self) -> None:
        from . import registrations

        registrations.register()
