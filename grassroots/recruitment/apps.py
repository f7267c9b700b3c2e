from django.apps import AppConfig


class RecruitmentConfig(AppConfig):
    name = "grassroots.recruitment"
    label = "recruitment"

    def ready(self) -> None:
        from grassroots.core import derived

        from . import derived as recruitment_derived
        from . import registrations

        registrations.register()
        derived.register(recruitment_derived.NEXT_STEPS)
        derived.register(recruitment_derived.MILESTONES)
