from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.scoping import ScopedManager
from grassroots.members.choices import Education, Occupation, Sex

from .choices import EventKind, Stage

# The stored milestone dates of a dossier (the Applicant fields below), in the order of the procedure.
MILESTONE_FIELDS = ("talk_on", "activist_on", "candidate_on", "admitted_on", "converted_on", "vote_failed_on")


class Applicant(models.Model):
    """One person's recruitment dossier (发展党员档案), from the application to full membership.

    The ID number is stored as on `Member` (encrypted, keyed hash, masked). On admission the person becomes a
    probationary `Member` (`member`), the same record that is converted to full later.
    """

    scope_path = "org__path"

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="applicants")
    name = models.CharField(_("姓名"), max_length=60)
    name_pinyin = models.CharField(max_length=120, db_index=True)
    name_initials = models.CharField(max_length=40, db_index=True)
    # The order of lists: pinyin syllable by syllable (core.pinyin.sort_key), so that 李 comes before 林.
    name_sort = models.CharField(max_length=160, db_index=True, default="")
    sex = models.CharField(_("性别"), max_length=8, choices=Sex.choices)
    birth_date = models.DateField(_("出生日期"))
    id_number_encrypted = models.TextField(blank=True)
    id_number_hash = models.CharField(max_length=64, blank=True, db_index=True)
    id_number_masked = models.CharField(_("身份证号"), max_length=18, blank=True)
    # The keyed hash of the number's last four characters (core.crypto.tail_hash): the search by tail.
    id_number_tail_hash = models.CharField(max_length=64, blank=True, db_index=True)
    education = models.CharField(_("学历"), max_length=24, choices=Education.choices, blank=True)
    occupation = models.CharField(_("人员类别"), max_length=20, choices=Occupation.choices, blank=True)
    applied_on = models.DateField(_("提出入党申请日期"))
    stage = models.CharField(_("阶段"), max_length=20, choices=Stage.choices, default=Stage.APPLICANT)
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The milestone dates of the ledger (发展党员台账), derived from the steps (`selectors.milestones_of`) and
    # stored by `services.event_record`, so that the ledger of a large subtree is one query.
    talk_on = models.DateField(_("入党谈话"), null=True, blank=True)
    activist_on = models.DateField(_("确定为入党积极分子"), null=True, blank=True)
    candidate_on = models.DateField(_("确定为发展对象"), null=True, blank=True)
    admitted_on = models.DateField(_("入党时间"), null=True, blank=True)
    converted_on = models.DateField(_("转正时间"), null=True, blank=True)
    # The latest branch or conversion vote that did not pass (未通过): a fact the ledger shows.
    vote_failed_on = models.DateField(_("表决未通过"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Stored next steps (derived, kept current by the services and `recruitment_refresh`): what
    # `rules.next_steps` gives for the timeline under the policy in force on `next_computed_on`, as
    # [{event, earliest_on, due_by, requires}] (dates as ISO text); `next_due_on` the earliest deadline among
    # them. Empty and null for a closed dossier. `next_policy` is the stored policy used (null: the defaults).
    next_steps = models.JSONField(default=list, blank=True)
    next_due_on = models.DateField(null=True, blank=True)
    next_computed_on = models.DateField(null=True, blank=True)
    next_policy = models.ForeignKey(
        "RecruitmentPolicy", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ScopedManager()

    class Meta:
        indexes = [
            models.Index(fields=["org", "stage"], name="applicant_org_stage"),
            # The to-do and the overdue counts of a small subtree: per org, the deadlines in order.
            models.Index(fields=["org", "next_due_on"], name="applicant_org_due"),
            # The most urgent cards of a stage (and the to-do of a large subtree) in deadline order.
            models.Index(fields=["stage", "next_due_on", "name_sort"], name="applicant_stage_due"),
        ]

    def __str__(self) -> str:
        return self.name


class RecruitmentEvent(models.Model):
    """One step of a dossier. Append-only: a step is never edited or deleted; a correction is a new step.

    `payload` holds the step's fields as given (member ids for mentors and sponsors); `facts` what the rules
    knew about those members when the step was recorded (full member? under 留党察看?), so replaying the
    timeline later gives the same verdicts; `warnings` the warn-severity rules the step raised.
    """

    scope_path = "applicant__org__path"

    applicant = models.ForeignKey(Applicant, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("步骤"), max_length=30, choices=EventKind.choices)
    on = models.DateField(_("日期"))
    payload = models.JSONField(default=dict, blank=True)
    facts = models.JSONField(default=dict, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    sequence = models.PositiveIntegerField()

    objects = ScopedManager()

    class Meta:
        ordering = ["on", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["applicant", "sequence"], name="recruitment_event_sequence"),
        ]

    def __str__(self) -> str:
        return f"{self.applicant_id} {self.kind} {self.on}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise RuntimeError("recruitment events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("recruitment events are append-only")

    @property
    def voided(self) -> bool:
        """Whether a correction entry voided this step (load with select_related("void") to avoid a query)."""
        return hasattr(self, "void")


class RecruitmentEventVoid(models.Model):
    """A correction entry (作废更正): the step `event` was recorded wrongly and no longer counts.

    A new record beside the original, which stays as it was: who voided it, when, and why. The replay of the
    dossier (`selectors.timeline_of`) leaves voided steps out; the dossier page shows both. Append-only, and
    a step is voided once (`services.event_void`, REC-VOID).
    """

    scope_path = "event__applicant__org__path"

    event = models.OneToOneField(RecruitmentEvent, on_delete=models.PROTECT, related_name="void")
    reason = models.CharField(_("作废理由"), max_length=200)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    voided_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    def __str__(self) -> str:
        return f"void {self.event_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise RuntimeError("recruitment event voids are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("recruitment event voids are append-only")


class RecruitmentPolicy(models.Model):
    """The durations and thresholds (RULES.md *policy*, `rules.Policy`) an org sets for its subtree from a date.

    Append-only: a change is a new row with a later `effective_from`. The policy in force for an org on a day
    is the row of the nearest org on its path (itself first, then its ancestors) with the latest
    `effective_from` on or before that day (`selectors.policy_for`); without one, the defaults of RULES.md.
    """

    scope_path = "org__path"

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="recruitment_policies")
    effective_from = models.DateField(_("生效日期"))
    activist_wait_months = models.PositiveSmallIntegerField(_("申请后确定积极分子的最短月数"))
    training_days = models.PositiveSmallIntegerField(_("集中培训天数"))
    training_hours = models.PositiveSmallIntegerField(_("集中培训学时"))
    notice_working_days = models.PositiveSmallIntegerField(_("公示工作日数"))
    notice_before = models.JSONField(_("须公示的步骤"), default=list, blank=True)
    extension_min_months = models.PositiveSmallIntegerField(_("延长预备期最短月数"))
    extension_max_months = models.PositiveSmallIntegerField(_("延长预备期最长月数"))
    approval_warn_months = models.PositiveSmallIntegerField(_("审批提醒月数"))
    approval_block_months = models.PositiveSmallIntegerField(_("审批期限月数"))
    conversion_vote_grace_months = models.PositiveSmallIntegerField(_("转正讨论宽限月数"))
    note = models.CharField(_("依据文件或说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["org", "-effective_from", "-id"]
        indexes = [models.Index(fields=["org", "effective_from"], name="recruitment_policy_org_from")]

    def __str__(self) -> str:
        return f"{self.org_id} {self.effective_from}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise RuntimeError("recruitment policies are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("recruitment policies are append-only")
