from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager

from grassroots.core.scoping import ScopedManager, ScopedManagerMixin

from .choices import CommitteeRole, OrgKind, TermAdjustmentKind, UnitKind, UnitRelation


class OrgManager(ScopedManagerMixin, MP_NodeManager):
    pass


class Org(MP_Node):
    """One node of the organization tree (党组织). Never deleted: an org that ends gets `ended_on`.

    The materialized `path` (4 characters per level) makes a subtree one indexed prefix scan.
    """

    steplen = 4
    scope_path = "path"

    code = models.CharField(_("组织代码"), max_length=32, unique=True)
    name = models.CharField(_("组织名称"), max_length=200)
    short_name = models.CharField(_("简称"), max_length=60, blank=True)
    # Pinyin keys of the name without its leading 中共 (core.pinyin.org_keys), for the org picker.
    name_pinyin = models.CharField(max_length=120, blank=True, default="", db_index=True)
    name_initials = models.CharField(max_length=40, blank=True, default="", db_index=True)
    kind = models.CharField(_("组织类别"), max_length=20, choices=OrgKind.choices)
    is_joint = models.BooleanField(_("联合党支部"), default=False)
    unit_name = models.CharField(_("所在单位"), max_length=200, blank=True)
    unit_kind = models.CharField(
        _("单位类型"), max_length=20, choices=UnitKind.choices, default=UnitKind.OTHER
    )
    unit_relation = models.CharField(
        _("所在单位情况"), max_length=20, choices=UnitRelation.choices, default=UnitRelation.LEGAL_ENTITY
    )
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=60, blank=True)
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    approved_by = models.CharField(_("批准文件"), max_length=200, blank=True)
    ended_on = models.DateField(_("撤销日期"), null=True, blank=True)
    secretary_vacant_since = models.DateField(_("书记空缺起始"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrgManager()

    class Meta:
        ordering = ["path"]
        indexes = [
            models.Index(fields=["kind", "path"], name="org_kind_path"),
            # The children of an org (depth = d + 1 inside its path range): an index range of just those rows,
            # not a scan of the whole subtree. The pattern opclass serves LIKE 'p%' on PostgreSQL; SQLite
            # ignores it and uses the binary range of core.scoping.subtree_q.
            models.Index(
                fields=["depth", "path"], name="org_depth_path", opclasses=["", "varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def parent_path(self) -> str:
        return self.path[: -self.steplen]


class OrgUnit(models.Model):
    """A unit an org serves; a joint branch (联合党支部) lists several. A unit is never deleted: it belongs to the
    org from `valid_from` (empty: from the start) to `valid_until` inclusive (empty: still), and leaving is
    recorded by setting `valid_until` (services.org_unit_end)."""

    scope_path = "org__path"
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="units")
    name = models.CharField(_("单位名称"), max_length=200)
    unit_kind = models.CharField(_("单位类型"), max_length=20, choices=UnitKind.choices)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    staff_count = models.PositiveIntegerField(_("从业人员数"), null=True, blank=True)
    is_legal_entity = models.BooleanField(_("法人单位"), default=True)
    valid_from = models.DateField(_("纳入日期"), null=True, blank=True)
    valid_until = models.DateField(_("退出日期"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class OrgCommittee(models.Model):
    """An elected committee (支委会 / 党委) and its term. The current one has no `ended_on`."""

    scope_path = "org__path"
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="committees")
    elected_on = models.DateField(_("选举日期"))
    term_years = models.PositiveSmallIntegerField(_("任期（年）"))
    term_ends_on = models.DateField(_("任期届满"))
    ended_on = models.DateField(_("换届日期"), null=True, blank=True)
    # The day the election is due when the upper organization approved a postponement or an advancement
    # (TermAdjustment, ORG-TERM); empty: `term_ends_on`.
    due_on = models.DateField(_("经批准的换届日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["-elected_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["org"], condition=models.Q(ended_on__isnull=True), name="one_current_committee"
            )
        ]

    def __str__(self) -> str:
        return f"{self.org_id} {self.elected_on}"


class CommitteeMember(models.Model):
    """A post on a committee held by a member for part or all of the term."""

    scope_path = "committee__org__path"
    committee = models.ForeignKey(OrgCommittee, on_delete=models.PROTECT, related_name="posts")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="committee_posts")
    role = models.CharField(_("职务"), max_length=30, choices=CommitteeRole.choices)
    started_on = models.DateField(_("任职日期"))
    ended_on = models.DateField(_("离任日期"), null=True, blank=True)

    objects = ScopedManager()

    def __str__(self) -> str:
        return f"{self.role} {self.member_id}"


class _AppendOnly(models.Model):
    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise RuntimeError(f"{type(self).__name__} rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError(f"{type(self).__name__} rows are append-only")


class TermAdjustment(_AppendOnly):
    """A decision to postpone or advance a committee's election (延期换届 / 提前换届, ORG-TERM): approved by the
    upper organization (`approved_by`, its document `document_number`, `approved_on`), at most one year from
    the end of the term. The latest one of the committee sets `OrgCommittee.due_on`; earlier ones stay."""

    scope_path = "committee__org__path"
    committee = models.ForeignKey(OrgCommittee, on_delete=models.PROTECT, related_name="adjustments")
    kind = models.CharField(_("类别"), max_length=10, choices=TermAdjustmentKind.choices)
    due_on = models.DateField(_("调整后的换届日期"))
    previous_due_on = models.DateField(_("调整前的换届日期"))
    approved_by = models.CharField(_("批准机关"), max_length=200)
    document_number = models.CharField(_("批准文号"), max_length=100)
    approved_on = models.DateField(_("批准日期"))
    reason = models.CharField(_("理由"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["committee", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due_on}"


class OrgPolicy(_AppendOnly):
    """The durations an org sets for its subtree from a date (RULES.md *policy*, `rules.OrgPolicy`): committee
    terms by kind (ORG-TERM) and the validity of an introduction letter (MEM-TRANSFER-LETTER).

    Append-only: a change is a new row with a later `effective_from`. The policy in force for an org on a day
    is the row of the nearest org on its path (itself first, then its ancestors) with the latest
    `effective_from` on or before that day (`selectors.policy_row`); without one, the defaults of RULES.md.
    """

    scope_path = "org__path"

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="org_policies")
    effective_from = models.DateField(_("生效日期"))
    branch_term_years = models.PositiveSmallIntegerField(_("党支部、党总支委员会任期（年）"))
    village_term_years = models.PositiveSmallIntegerField(_("村、社区党组织委员会任期（年）"))
    committee_term_years = models.PositiveSmallIntegerField(_("基层党委任期（年）"))
    letter_valid_months = models.PositiveSmallIntegerField(_("组织关系介绍信有效期（月）"))
    note = models.CharField(_("依据文件或说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["org", "-effective_from", "-id"]
        indexes = [models.Index(fields=["org", "effective_from"], name="org_policy_org_from")]

    def __str__(self) -> str:
        return f"{self.org_id} {self.effective_from}"


class OrgWarningState(models.Model):
    """An ORG-* warning rule that currently holds for an open org: one row per (org, rule), with the
    untranslated messages of its warnings (`messages`: [{"msgid", "values"}], shown through
    `rules.warning_message` in the reader's language), the day the rule was first seen to hold (`since`)
    and the day the row was last recomputed (`computed_on`).

    Derived rows: `warning_store.refresh` recomputes an org's rows with the batch reader and the pure
    `rules.org_warnings` and writes only the differences. The org and member services call it for the orgs
    whose facts they change, in their transaction; `grassroots org_warnings_refresh` recomputes a subtree for
    the warnings that come with time (a term that ends, a secretary's standing); the seed and `migrate` fill it.
    Dashboards over a subtree count and list these rows instead of recomputing every org (docs/architecture.md).
    """

    scope_path = "org__path"

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="warning_states")
    rule_id = models.CharField(max_length=30)
    messages = models.JSONField(default=list)
    since = models.DateField()
    computed_on = models.DateField()

    objects = ScopedManager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["org", "rule_id"], name="org_warning_state_unique")]
        indexes = [models.Index(fields=["rule_id", "org"], name="org_warning_state_rule")]

    def __str__(self) -> str:
        return f"{self.rule_id} of org {self.org_id}"
