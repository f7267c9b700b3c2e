from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "grassroots.orgs"
    label = "orgs"

    def ready(self) -> None:
        from grassroots.core import derived

        from . import derived as orgs_derived
        from . import registrations

        registrations.register()
        derived.register(orgs_derived.TABLE)
