from django.apps import AppConfig


class RecruitmentConfig(AppConfig):
    name = "grassroots.recruitment"
    label = "recruitment"

    def ready(self) -> None:
        from grassroots.core import citations, derived

        from . import citations as recruitment_citations
        from . import derived as recruitment_derived
        from . import registrations

        registrations.register()
        citations.register(recruitment_citations.SOURCES)
        derived.register(recruitment_derived.NEXT_STEPS)
        derived.register(recruitment_derived.MILESTONES)
