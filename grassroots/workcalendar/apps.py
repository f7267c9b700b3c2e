from django.apps import AppConfig
from django.core.signals import request_started
from django.db.models.signals import post_migrate


def _seed_after_migrate(sender, *, using="default", **kwargs) -> None:
    """Seed the years the package knows that the table lacks (services.calendar_seed): after every `migrate`,
    and after a test database is flushed."""
    from django.db import DEFAULT_DB_ALIAS, connections

    from .models import CalendarDay, CalendarYear
    from .services import calendar_seed

    if using != DEFAULT_DB_ALIAS:
        return
    tables = set(connections[using].introspection.table_names())
    if {
        CalendarYear._meta.db_table,
        CalendarDay._meta.db_table,
    } <= tables:  # not after `migrate workcalendar zero`
        calendar_seed()


class WorkcalendarConfig(AppConfig):
    name = "grassroots.workcalendar"
    label = "workcalendar"
    verbose_name = "工作日历"

    def ready(self) -> None:
        from grassroots.core import citations

        from . import citations as calendar_citations
        from . import registrations, selectors

        citations.register(calendar_citations.SOURCES)
        registrations.register()
        # Each request computes with the calendar as it is when it begins (selectors.STORED).
        request_started.connect(selectors.forget, dispatch_uid="grassroots_calendar_forget")
        post_migrate.connect(_seed_after_migrate, sender=self, dispatch_uid="grassroots_calendar_seed")
