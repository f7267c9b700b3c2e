from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core import workdays


class DayKind(models.TextChoices):
    HOLIDAY = workdays.HOLIDAY, _("放假")
    WORKDAY = workdays.WORKDAY, _("调休上班")


class Source(models.TextChoices):
    """Where a row of the calendar came from."""

    PACKAGE = "package", _("chinesecalendar 软件包")
    ADMIN = "admin", _("管理员录入")
