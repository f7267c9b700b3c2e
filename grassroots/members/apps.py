from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "grassroots.members"
    label = "members"

    def ready(self) -> None:
        from grassroots.core import citations, derived

        from . import citations as members_citations
        from . import derived as members_derived
        from . import registrations

        registrations.register()
        citations.register(members_citations.SOURCES)
        derived.register(members_derived.TABLE)
        derived.register(members_derived.WARNINGS)
