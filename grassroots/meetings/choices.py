"""The enumerations of organizational life (组织生活), with their Chinese labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingKind(models.TextChoices):
    GENERAL_MEETING = "general_meeting", _("支部党员大会")
    COMMITTEE_MEETING = "committee_meeting", _("支委会")
    GROUP_MEETING = "group_meeting", _("党小组会")
    PARTY_LECTURE = "party_lecture", _("党课")
    THEMED_DAY = "themed_day", _("主题党日")
    ORG_LIFE_MEETING = "org_life_meeting", _("组织生活会")
    APPRAISAL = "appraisal", _("民主评议党员")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("已计划")
    HELD = "held", _("已召开")
    CANCELLED = "cancelled", _("已取消")


class MinutesState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    FINALIZED = "finalized", _("记录人已定稿")
    CONFIRMED = "confirmed", _("主持人已确认")


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("出席")
    EXCUSED = "excused", _("请假")
    ABSENT = "absent", _("缺席")


class SignInMethod(models.TextChoices):
    CODE = "code", _("签到码")
    QR = "qr", _("扫码")
    SECRETARY = "secretary", _("书记代录")
    LATE_ENTRY = "late_entry", _("会后补录")


class VoteSubject(models.TextChoices):
    ADMISSION = "admission", _("接收预备党员")
    CONVERSION = "conversion", _("预备党员转正")
    DISCIPLINE = "discipline", _("党纪处分")
    OTHER = "other", _("其他议题")


class AppraisalGrade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    QUALIFIED = "qualified", _("合格")
    BASICALLY_QUALIFIED = "basically_qualified", _("基本合格")
    UNQUALIFIED = "unqualified", _("不合格")


class UnqualifiedHandling(models.TextChoices):
    RECTIFY = "rectify", _("限期改正")
    PERSUADE_TO_LEAVE = "persuade_to_leave", _("劝其退党")
    REMOVE = "remove", _("除名")


class ExcusalReason(models.TextChoices):
    MOBILE = "mobile", _("外出流动")
    SICK = "sick", _("患病")
    ABROAD = "abroad", _("出国（境）")
    OTHER = "other", _("其他正当理由")


class SealKind(models.TextChoices):
    MINUTES = "minutes", _("会议记录定稿")
    AMENDMENT = "amendment", _("更正说明")


class NoticeChannel(models.TextChoices):
    IN_APP = "in_app", _("站内通知")
    EMAIL = "email", _("电子邮件")
    SMS = "sms", _("短信")


class MeetingDocumentKind(models.TextChoices):
    """The documents (材料) kept with a meeting: its photos, the scanned signed sheet, the papers handed out."""

    PHOTO = "photo", _("会议照片")
    SIGN_IN_SHEET = "sign_in_sheet", _("签到表扫描件")
    MATERIALS = "materials", _("会议材料")
    OTHER = "other", _("其他")


# The kind the upload form on the meeting's page starts with.
MEETING_DOCUMENT_KIND = MeetingDocumentKind.PHOTO
