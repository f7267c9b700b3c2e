from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo and benchmark data (`seed`, `demo_setup`): calls each app's seed hook; no app depends on it."""

    name = "grassroots.demo"
    label = "demo"
