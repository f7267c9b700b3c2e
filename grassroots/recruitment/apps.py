from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecruitmentConfig(AppConfig):
    name = "grassroots.recruitment"
    label = "recruitment"

    def ready(self) -> None:
        from grassroots.core import derived, summaries, todo

        from . import derived as recruitment_derived
        from . import todo as recruitment_todo

        todo.register(
            recruitment_todo.due_items,
            category=recruitment_todo.CATEGORY,
            label=_("发展党员"),
            list_url=recruitment_todo.board_url,
        )
        summaries.register(recruitment_todo.org_summary, category=recruitment_todo.CATEGORY)
        derived.register(recruitment_derived.NEXT_STEPS)
        derived.register(recruitment_derived.MILESTONES)
