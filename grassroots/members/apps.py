from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "grassroots.members"
    label = "members"

    def ready(self) -> None:
        from grassroots.core import derived

        from . import derived as members_derived
        from . import registrations

        registrations.register()
        derived.register(members_derived.TABLE)
        derived.register(members_derived.WARNINGS)
