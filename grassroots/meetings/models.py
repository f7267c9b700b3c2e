"""Organizational life (组织生活): meetings of every kind, who attended, votes, minutes that are sealed once final,
the yearly appraisal, heart-to-heart talks, lapse excusals and the meeting policy.

Records are facts: a finalized meeting's minutes, attendance and votes never change (MTG-MINUTES-FINAL); a
correction is an appended `MinutesAmendment`; each finalized record and amendment is sealed by a `MeetingSeal`
chained to the org's previous seal, so that a change made directly in the database is found by
`grassroots audit_verify`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.scoping import ScopedManager

from .choices import (
    AppraisalGrade,
    AttendanceStatus,
    ExcusalReason,
    MeetingKind,
    MeetingStatus,
    MinutesState,
    NoticeChannel,
    SealKind,
    SignInMethod,
    UnqualifiedHandling,
    VoteSubject,
)


class _AppendOnly(models.Model):
    """A row that is written once and never edited or deleted."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise RuntimeError(f"{self._meta.label} rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError(f"{self._meta.label} rows are append-only")


class MeetingPolicy(_AppendOnly):
    """The values of organizational life an org sets for its subtree from a date (RULES.md *policy*).

    Append-only, effective-dated like the recruitment policy: the policy in force for an org on a day is the row
    of the nearest org on its path with the latest `effective_from` on or before that day; without one, the
    defaults of RULES.md (`selectors.policy_for`).
    """

    scope_path = "org__path"

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="meeting_policies")
    effective_from = models.DateField(_("生效日期"))
    lectures_per_quarter = models.PositiveSmallIntegerField(_("每季度党课次数"), default=1)
    minutes_late_days = models.PositiveSmallIntegerField(_("会议记录定稿期限（天）"), default=7)
    sign_in_opens_before_minutes = models.PositiveSmallIntegerField(_("会前开放签到（分钟）"), default=30)
    sign_in_closes_after_minutes = models.PositiveSmallIntegerField(_("会后关闭签到（分钟）"), default=60)
    code_step_seconds = models.PositiveSmallIntegerField(_("签到码刷新间隔（秒）"), default=30)
    lapse_warn_months = models.PositiveSmallIntegerField(_("未参加组织生活提醒月数"), default=3)
    lapse_months = models.PositiveSmallIntegerField(_("未参加组织生活处置月数"), default=6)
    note = models.CharField(_("依据文件或说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["org", "-effective_from", "-id"]
        indexes = [models.Index(fields=["org", "effective_from"], name="meeting_policy_org_from")]

    def __str__(self) -> str:
        return f"{self.org_id} {self.effective_from}"


class Meeting(models.Model):
    """One meeting (三会一课, 主题党日, 组织生活会, 民主评议): planned, held or cancelled; never deleted.

    `org` is the org that holds it — for a group meeting (党小组会) the group itself. Who should attend is
    derived by the server from the org, the kind and the meeting date (`selectors.expected_members`) and stored
    as `Attendance` rows with `expected=True`. The attendance counts below are stored derived values, kept by
    the services, so that lists and cadence never count rows.
    """

    scope_path = "org__path"

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(_("会议类型"), max_length=24, choices=MeetingKind.choices)
    topic = models.CharField(_("会议主题"), max_length=200)
    agenda = models.TextField(_("议程"), blank=True)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    planned_on = models.DateField(_("会议日期"))
    starts_at = models.TimeField(_("开始时间"), null=True, blank=True)
    ends_at = models.TimeField(_("结束时间"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    # The day it took place (set when the meeting is marked held; planned_on unless it moved).
    held_on = models.DateField(_("召开日期"), null=True, blank=True)
    cancelled_reason = models.CharField(_("取消原因"), max_length=200, blank=True)
    convener = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("主持人"),
    )
    recorder = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("记录人"),
    )
    # The secret of the rotating sign-in code (hex); never shown, never sent to a client.
    sign_in_secret = models.CharField(max_length=64, editable=False)
    # Stored derived counts (services.attendance_*): the expected roster and how it stands.
    expected_count = models.PositiveIntegerField(default=0)
    present_count = models.PositiveIntegerField(default=0)
    excused_count = models.PositiveIntegerField(default=0)
    absent_count = models.PositiveIntegerField(default=0)
    guest_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["-planned_on", "-id"]
        indexes = [
            models.Index(fields=["org", "planned_on"], name="meeting_org_planned"),
            models.Index(fields=["org", "kind", "planned_on"], name="meeting_org_kind_planned"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.planned_on} {self.topic}"

    @property
    def unrecorded_count(self) -> int:
        """Those expected whose attendance is not recorded yet (from the stored counts)."""
        return max(0, self.expected_count - self.present_count - self.excused_count - self.absent_count)

    def delete(self, *args, **kwargs):
        raise RuntimeError("meetings are never deleted: they are cancelled")


class Attendance(models.Model):
    """One person at one meeting: expected (derived roster) or a guest (a mobile member of another org).

    `status` is empty until recorded; finalizing the minutes records every unrecorded expected person as absent.
    `method` says how a presence was recorded (the member's own sign-in by code or QR, the secretary, a late
    entry) and `signed_at` when. A member asks for leave before the meeting (`leave_requested_at`, reason); the
    secretary grants it (status excused) or refuses it (`leave_granted`, MTG-LEAVE). Frozen once the minutes
    are final (MTG-MINUTES-FINAL).
    """

    scope_path = "meeting__org__path"

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="attendance")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="meeting_attendance")
    expected = models.BooleanField(_("应到"), default=True)
    # Full members (正式党员) carry the vote at a general meeting (MTG-QUORUM-GENERAL).
    voting = models.BooleanField(_("有表决权"), default=False)
    status = models.CharField(_("出席情况"), max_length=12, choices=AttendanceStatus.choices, blank=True)
    reason = models.CharField(_("请假或缺席原因"), max_length=200, blank=True)
    method = models.CharField(_("签到方式"), max_length=12, choices=SignInMethod.choices, blank=True)
    signed_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    leave_requested_at = models.DateTimeField(_("请假申请时间"), null=True, blank=True)
    leave_reason = models.CharField(_("请假事由"), max_length=200, blank=True)
    # The officer's decision on the request (MTG-LEAVE): None while pending (or never asked), True granted,
    # False refused; who decided and when.
    leave_granted = models.BooleanField(_("准假"), null=True, blank=True)
    leave_decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    leave_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["meeting", "-expected", "member__name_sort", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_one_per_member"),
        ]
        indexes = [models.Index(fields=["member", "meeting"], name="attendance_member_meeting")]

    def __str__(self) -> str:
        return f"{self.meeting_id} {self.member_id} {self.status}"

    def delete(self, *args, **kwargs):
        raise RuntimeError("attendance is never deleted")


class Minutes(models.Model):
    """The minutes (会议记录) of a meeting: a draft the recorder edits; finalized by the recorder, confirmed by
    the convener. Once finalized the text never changes (MTG-MINUTES-FINAL); corrections are amendments.
    `is_late_entry` marks minutes finalized later than the policy's days after the meeting (MTG-MINUTES-LATE,
    补记), shown wherever the minutes are."""

    scope_path = "meeting__org__path"

    meeting = models.OneToOneField(Meeting, on_delete=models.PROTECT, related_name="minutes")
    text = models.TextField(_("会议记录"), blank=True)
    state = models.CharField(
        _("状态"), max_length=12, choices=MinutesState.choices, default=MinutesState.DRAFT
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    finalized_at = models.DateTimeField(_("定稿时间"), null=True, blank=True)
    finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_late_entry = models.BooleanField(_("补记"), default=False)

    objects = ScopedManager()

    def __str__(self) -> str:
        return f"minutes {self.meeting_id} {self.state}"

    def delete(self, *args, **kwargs):
        raise RuntimeError("minutes are never deleted")


class MinutesAmendment(_AppendOnly):
    """A correction to finalized minutes (更正说明): who, when, why — shown beside the original, which stays."""

    scope_path = "minutes__meeting__org__path"

    minutes = models.ForeignKey(Minutes, on_delete=models.PROTECT, related_name="amendments")
    text = models.TextField(_("更正内容"))
    reason = models.CharField(_("更正理由"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author_label = models.CharField(_("更正人"), max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["minutes", "created_at", "id"]

    def __str__(self) -> str:
        return f"amendment {self.minutes_id} {self.created_at:%Y-%m-%d}"


class MeetingSeal(_AppendOnly):
    """The seal of one finalized record or amendment, chained per org (`seq`, `prev_hash`).

    `parts` holds the keyed digest of each frozen part (text, attendance, votes, appraisal, amendment) as the
    record was when sealed; `hash` is the keyed hash of the seal's own fields and `prev_hash`. `audit_verify`
    recomputes the parts from the stored rows and the chain from the seals: a change made with SQL to the text,
    one attendance row or a vote count no longer matches, and the meeting is named.
    """

    scope_path = "org__path"

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=12, choices=SealKind.choices)
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="seals")
    amendment = models.OneToOneField(
        MinutesAmendment, on_delete=models.PROTECT, null=True, blank=True, related_name="seal"
    )
    parts = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    key_id = models.CharField(max_length=32, blank=True)
    sealed_at = models.DateTimeField()

    objects = ScopedManager()

    class Meta:
        ordering = ["org", "seq"]
        constraints = [models.UniqueConstraint(fields=["org", "seq"], name="meeting_seal_org_seq")]

    def __str__(self) -> str:
        return f"seal {self.org_id}#{self.seq} {self.kind}"


class Vote(_AppendOnly):
    """A vote taken at a meeting (admission, conversion, discipline, another motion), MTG-QUORUM-*.

    `should_attend` and `present` are derived by the server from the meeting's attendance (voting members at a
    general meeting, committee members at a committee meeting); `yes`/`no`/`abstain` are as counted. A vote that
    does not pass is recorded as such; a vote without a quorum is refused. Frozen with the minutes.
    `reference` names the record the vote decided (a recruitment dossier links back by its own step).
    """

    scope_path = "meeting__org__path"

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="votes")
    sequence = models.PositiveSmallIntegerField()
    subject = models.CharField(_("表决事项"), max_length=16, choices=VoteSubject.choices)
    motion = models.CharField(_("议题"), max_length=200)
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("所涉党员"),
    )
    reference = models.CharField(_("关联记录"), max_length=60, blank=True)
    should_attend = models.PositiveIntegerField(_("应到有表决权人数"))
    present = models.PositiveIntegerField(_("实到有表决权人数"))
    yes = models.PositiveIntegerField(_("赞成"))
    no = models.PositiveIntegerField(_("反对"), default=0)
    abstain = models.PositiveIntegerField(_("弃权"), default=0)
    quorum_met = models.BooleanField(_("达到法定人数"))
    passed = models.BooleanField(_("通过"))
    rule_id = models.CharField(max_length=40)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["meeting", "sequence"]
        constraints = [models.UniqueConstraint(fields=["meeting", "sequence"], name="vote_meeting_sequence")]

    def __str__(self) -> str:
        return f"vote {self.meeting_id}#{self.sequence} {self.motion}"


class AppraisalRecord(models.Model):
    """One member's grade at the yearly appraisal meeting (民主评议党员, MEM-APPRAISAL-GRADES). Frozen with the
    minutes."""

    scope_path = "meeting__org__path"

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="appraisals")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="appraisals")
    grade = models.CharField(_("评议等次"), max_length=24, choices=AppraisalGrade.choices)
    handling = models.CharField(
        _("不合格党员处置"), max_length=24, choices=UnqualifiedHandling.choices, blank=True
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="appraisal_one_per_member"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id} {self.member_id} {self.grade}"

    def delete(self, *args, **kwargs):
        raise RuntimeError("appraisal records are never deleted")


class Talk(_AppendOnly):
    """A heart-to-heart talk (谈心谈话, MTG-TALK-Y) between a committee member and another member (committee
    member or not), recorded by the branch."""

    scope_path = "org__path"

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="talks")
    held_on = models.DateField(_("谈话日期"))
    initiator = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="+", verbose_name=_("谈话人")
    )
    counterpart = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="+", verbose_name=_("谈话对象")
    )
    topic = models.CharField(_("谈话主题"), max_length=200)
    summary = models.TextField(_("谈话要点"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["org", "held_on"], name="talk_org_held")]

    def __str__(self) -> str:
        return f"talk {self.org_id} {self.held_on}"


class LapseExcusal(_AppendOnly):
    """A proper reason for not attending organizational life over a span of months (MEM-LAPSE-6M): mobile,
    sick, abroad, other — recorded with the reason by the branch. `until_month` empty: still running."""

    scope_path = "member__org__path"

    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="lapse_excusals")
    reason_kind = models.CharField(_("原因类别"), max_length=12, choices=ExcusalReason.choices)
    reason = models.CharField(_("具体原因"), max_length=200)
    from_month = models.DateField(_("起始月份"))
    until_month = models.DateField(_("截止月份"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["member", "-from_month"]

    def __str__(self) -> str:
        return f"excusal {self.member_id} {self.from_month}"


class MeetingNotice(models.Model):
    """A notice of a meeting to one person who should attend: in-app always; e-mail and SMS through adapters
    (`notices.ADAPTERS`) when configured. `read_at` when the member opened it."""

    scope_path = "meeting__org__path"

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="notices")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="meeting_notices")
    channel = models.CharField(max_length=12, choices=NoticeChannel.choices, default=NoticeChannel.IN_APP)
    text = models.CharField(max_length=300)
    sent_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["member", "read_at"], name="notice_member_read")]

    def __str__(self) -> str:
        return f"notice {self.meeting_id} {self.member_id}"


class CalendarFeed(models.Model):
    """A secret-token iCalendar feed of an org's or a member's meetings. Revoked, never deleted."""

    scope_path = "org__path"

    # The org whose meetings the feed lists; for a member's feed, the member's org when it was made.
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    # Set: the feed of this member's own meetings (those they should attend), wherever they are.
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The keyed hash of the token (the token itself is shown once, in the feed's URL).
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager()

    def __str__(self) -> str:
        return f"feed {self.org_id} {self.member_id or ''}"


class OrgCadenceCount(models.Model):
    """Stored derived: how many finalized meetings (and talks, kind "talk") an org held of one kind in one
    period — the period of that kind's cadence rule (month, quarter or year) that contains the held date,
    identified by its first day. Kept by `services.cadence.meeting_counted` / `talk_counted` with one set-based
    increment in the finalizing transaction; checked nightly (`derived_refresh cadence --check`)."""

    scope_path = "org__path"

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=24)
    period_start = models.DateField()
    held = models.PositiveIntegerField(default=0)

    objects = ScopedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["org", "kind", "period_start"], name="cadence_count_org_kind_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.org_id} {self.kind} {self.period_start}: {self.held}"


class SubtreeCadence(models.Model):
    """Stored derived rollup: per org, year and cadence rule, the org's own standing (`own_judged`: it owes the
    rule in some period of the year that has begun; `own_periods_behind`: its periods that ended short) and its
    whole subtree's (`orgs_judged`, `orgs_behind`: orgs with at least one period behind, `periods_behind`), as
    of `as_of`. Refreshed set-based nightly and on demand (`derived_refresh cadence`); a counted meeting moves
    its org's own figures and those of its ancestors at once (`services.cadence`). The root's subtree table is
    one indexed read of its children's rows."""

    scope_path = "org__path"

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    rule_id = models.CharField(max_length=24)
    own_judged = models.BooleanField(default=False)
    own_periods_behind = models.PositiveIntegerField(default=0)
    orgs_judged = models.PositiveIntegerField(default=0)
    orgs_behind = models.PositiveIntegerField(default=0)
    periods_behind = models.PositiveIntegerField(default=0)
    as_of = models.DateField()

    objects = ScopedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "year", "rule_id"], name="subtree_cadence_org_year_rule")
        ]
        indexes = [
            models.Index(fields=["year", "rule_id", "own_periods_behind"], name="subtree_cadence_behind")
        ]

    def __str__(self) -> str:
        return f"{self.org_id} {self.year} {self.rule_id}: {self.orgs_behind}/{self.orgs_judged}"


class SignInFailure(_AppendOnly):
    """A wrong sign-in code entered by an account at a meeting, kept so that wrong codes are throttled per
    account and meeting (MTG-SIGN-IN: a few per step of the code, a few dozen per meeting) and a code cannot be
    guessed. `step` is the number of the code's step (Unix time ÷ the step length) when it was entered."""

    scope_path = "meeting__org__path"

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    step = models.PositiveBigIntegerField()
    at = models.DateTimeField()

    objects = ScopedManager()

    class Meta:
        indexes = [models.Index(fields=["meeting", "user", "step"], name="signin_failure_user_step")]

    def __str__(self) -> str:
        return f"sign-in failure {self.meeting_id} {self.user_id} {self.step}"


class MemberLapseState(models.Model):
    """Stored derived (core.derived "lapse"): the lapse watch of one member (MEM-LAPSE-6M, organizational
    life) who is at the warn or lapse level — members at "none" have no row. `streak` months missed in a row
    up to `as_of`, the first of them (`since`), the level, the source that gave it and the policy's months;
    `org` is the member's org when it was computed. Kept by `lapse_store.sync` after minutes are finalized and
    excusals recorded, refreshed nightly (the months roll over). Readers go through the member's current org
    (`member__org__path`), like the live watch, so a subtree's rows are one path-range join."""

    scope_path = "member__org__path"

    member = models.OneToOneField("members.Member", on_delete=models.CASCADE, related_name="lapse_state")
    org = models.ForeignKey("orgs.Org", on_delete=models.CASCADE, related_name="+")
    streak = models.PositiveSmallIntegerField()
    since = models.DateField()
    level = models.CharField(max_length=8)
    source = models.CharField(max_length=16)
    warn_months = models.PositiveSmallIntegerField()
    lapse_months = models.PositiveSmallIntegerField()
    as_of = models.DateField()

    objects = ScopedManager()

    class Meta:
        indexes = [models.Index(fields=["level", "member"], name="member_lapse_level")]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.level} {self.streak}"
