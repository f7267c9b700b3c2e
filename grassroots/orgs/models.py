from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager

from grassroots.core.scoping import ScopedManager, ScopedManagerMixin

from .choices import CommitteeRole, OrgKind, UnitKind, UnitRelation


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
    """A unit an org serves; a joint branch (联合党支部) lists several."""

    scope_path = "org__path"
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="units")
    name = models.CharField(_("单位名称"), max_length=200)
    unit_kind = models.CharField(_("单位类型"), max_length=20, choices=UnitKind.choices)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    staff_count = models.PositiveIntegerField(_("从业人员数"), null=True, blank=True)
    is_legal_entity = models.BooleanField(_("法人单位"), default=True)

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
    postponement_approved_until = models.DateField(_("批准延期至"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

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

    def __str__(self) -> str:
        return f"{self.role} {self.member_id}"


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
