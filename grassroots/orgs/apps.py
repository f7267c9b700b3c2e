from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "grassroots.orgs"
    label = "orgs"

    def ready(self) -> None:
        from grassroots.core import citations, derived

        from . import citations as orgs_citations
        from . import derived as orgs_derived
        from . import registrations

        registrations.register()
        citations.register(orgs_citations.SOURCES)
        derived.register(orgs_derived.TABLE)
