from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class MemberStatus(models.TextChoices):
    PROBATIONARY = "probationary", _("预备党员")
    FULL = "full", _("正式党员")
    SUSPENDED = "suspended", _("停止党籍")
    TRANSFERRED_OUT = "transferred_out", _("已转出")
    WITHDRAWN = "withdrawn", _("退党")
    REMOVED = "removed", _("除名")
    EXPELLED = "expelled", _("开除党籍")
    DECEASED = "deceased", _("去世")
    PROBATION_CANCELLED = "probation_cancelled", _("取消预备党员资格")


# Members counted in an org's roster.
ACTIVE_STATUSES = (MemberStatus.PROBATIONARY, MemberStatus.FULL)
# Ways membership ends; the record stays (MEM-NO-DELETE).
END_STATUSES = (
    MemberStatus.WITHDRAWN,
    MemberStatus.REMOVED,
    MemberStatus.EXPELLED,
    MemberStatus.DECEASED,
    MemberStatus.PROBATION_CANCELLED,
)


class Education(models.TextChoices):
    POSTGRADUATE = "postgraduate", _("研究生")
    BACHELOR = "bachelor", _("大学本科")
    COLLEGE = "college", _("大学专科")
    SECONDARY_VOCATIONAL = "secondary_vocational", _("中专")
    HIGH_SCHOOL = "high_school", _("高中")
    JUNIOR_OR_BELOW = "junior_or_below", _("初中及以下")


COLLEGE_OR_ABOVE = (Education.POSTGRADUATE, Education.BACHELOR, Education.COLLEGE)


class Occupation(models.TextChoices):
    WORKER = "worker", _("工人")
    FARMER = "farmer", _("农牧渔民")
    PROFESSIONAL = "professional", _("专业技术人员")
    MANAGER = "manager", _("企事业单位管理人员")
    CIVIL_SERVANT = "civil_servant", _("党政机关工作人员")
    STUDENT = "student", _("学生")
    RETIREE = "retiree", _("离退休人员")
    OTHER = "other", _("其他职业人员")


class JoinedHow(models.TextChoices):
    RECRUITED = "recruited", _("本组织发展")
    TRANSFERRED_IN = "transferred_in", _("转入")
    OTHER = "other", _("其他")


class LostContactReason(models.TextChoices):
    MIGRANT_WORK = "migrant_work", _("外出务工经商")
    UNIT_RESTRUCTURED = "unit_restructured", _("单位改制或破产")
    GRADUATED = "graduated", _("毕业后去向不明")
    JOB_CHANGED = "job_changed", _("工作单位改变")
    ABROAD = "abroad", _("出国（境）")
    MOVED = "moved", _("居住地改变")
    OTHER = "other", _("其他")


class TransferStatus(models.TextChoices):
    ISSUED = "issued", _("已开具介绍信")
    RECEIVED = "received", _("已接收")
    COMPLETED = "completed", _("回执已退回")
    CANCELLED = "cancelled", _("已撤销")
