from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "grassroots.meetings"
    label = "meetings"
    verbose_name = "organizational life"

    def ready(self) -> None:
        from . import registrations

        registrations.register()
