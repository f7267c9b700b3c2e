from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecruitmentConfig(AppConfig):
    name = "grassroots.recruitment"
    label = "recruitment"

    def ready(self) -> None:
        from grassroots.core import summaries, todo

        from . import todo as recruitment_todo

        todo.register(
            recruitment_todo.due_items,
            category=recruitment_todo.CATEGORY,
            label=_("发展党员"),
            list_url=recruitment_todo.board_url,
        )
        summaries.register(recruitment_todo.org_summary, category=recruitment_todo.CATEGORY)
