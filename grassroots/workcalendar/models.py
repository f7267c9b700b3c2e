"""The working-day calendar as stored: one row per year, one row per special day of a year's published holiday
schedule (国务院办公厅关于节假日安排的通知). Seeded from the chinesecalendar package for the years it knows
(`services.calendar_seed`, after `migrate`); an administrator enters the years it does not. Nothing is
deleted: a day taken out is marked removed (when, by whom, why) and stays in the table."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import DayKind, Source


class CalendarYear(models.Model):
    """One year of the calendar. `complete`: its whole schedule is entered and confirmed (a year the package
    knows is complete when seeded); until then periods over it are counted with the days entered so far and
    flagged (CAL-WORKDAY)."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices)
    complete = models.BooleanField(_("已确认完整"), default=False)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("依据文件"), max_length=200, blank=True)

    class Meta:
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}"


class CalendarDay(models.Model):
    """A holiday (放假) or a swapped working day (调休上班) of a year's schedule. At most one day of the
    calendar per date is in force (not removed)."""

    year = models.ForeignKey(CalendarYear, on_delete=models.PROTECT, related_name="days")
    on = models.DateField(_("日期"))
    kind = models.CharField(_("类别"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("节日"), max_length=40)
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices)
    entered_at = models.DateTimeField(_("录入时间"), null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    removed_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撤销人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    removal_reason = models.CharField(_("撤销原因"), max_length=200, blank=True)

    class Meta:
        ordering = ["on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["on"], condition=Q(removed_at__isnull=True), name="workcalendar_day_in_force_once"
            )
        ]
        indexes = [models.Index(fields=["year", "on"], name="workcalendar_day_year")]

    def __str__(self) -> str:
        return f"{self.on.isoformat()} {self.name}（{self.get_kind_display()}）"
