from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "grassroots.meetings"
    label = "meetings"
    verbose_name = "organizational life"

    def ready(self) -> None:
        from grassroots.core import citations

        from . import citations as meeting_citations
        from . import registrations

        registrations.register()
        citations.register(meeting_citations.SOURCES)
