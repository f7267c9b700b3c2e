from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.scoping import ScopedManager

from .choices import Education, JoinedHow, LostContactReason, MemberStatus, Occupation, Sex, TransferStatus


class Member(models.Model):
    """A party member's record (党员基本信息). Never deleted: membership ends through `status` (MEM-NO-DELETE).

    The ID number is stored encrypted; `id_number_hash` (keyed HMAC) finds a number exactly and
    `id_number_masked` is what most roles see.
    """

    scope_path = "org__path"

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="members")
    party_group = models.ForeignKey(
        "orgs.Org", on_delete=models.SET_NULL, null=True, blank=True, related_name="group_members"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="member"
    )
    name = models.CharField(_("姓名"), max_length=60)
    former_names = models.CharField(_("曾用名"), max_length=120, blank=True)
    name_pinyin = models.CharField(max_length=120, db_index=True)
    name_initials = models.CharField(max_length=40, db_index=True)
    # The order of lists: pinyin syllable by syllable (core.pinyin.sort_key), so that 李 comes before 林.
    name_sort = models.CharField(max_length=160, db_index=True, default="")
    sex = models.CharField(_("性别"), max_length=8, choices=Sex.choices)
    ethnicity = models.CharField(_("民族"), max_length=20, default="汉族")
    native_place = models.CharField(_("籍贯"), max_length=60, blank=True)
    birth_date = models.DateField(_("出生日期"))
    id_number_encrypted = models.TextField(blank=True)
    id_number_hash = models.CharField(max_length=64, blank=True, db_index=True)
    id_number_masked = models.CharField(_("身份证号"), max_length=18, blank=True)
    # The keyed hash of the number's last four characters (core.crypto.tail_hash): the search by tail.
    id_number_tail_hash = models.CharField(max_length=64, blank=True, db_index=True)
    education = models.CharField(_("学历"), max_length=24, choices=Education.choices)
    occupation = models.CharField(_("人员类别"), max_length=20, choices=Occupation.choices)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    address = models.CharField(_("家庭住址"), max_length=200, blank=True)
    unit_name = models.CharField(_("工作单位"), max_length=200, blank=True)
    work_post = models.CharField(_("工作岗位"), max_length=60, blank=True)
    started_work_on = models.DateField(_("参加工作时间"), null=True, blank=True)
    admitted_on = models.DateField(_("入党时间"))
    converted_on = models.DateField(_("转正时间"), null=True, blank=True)
    # 延长预备期 (党章 Art. 7): the months probation was extended by, 0 without an extension; 转正时间 is one
    # year after 入党时间 plus these months (REC-DATES).
    probation_extension_months = models.PositiveSmallIntegerField(
        _("延长预备期月数"), default=0, db_default=0
    )
    status = models.CharField(_("党员状态"), max_length=20, choices=MemberStatus.choices)
    joined_how = models.CharField(_("进入本支部方式"), max_length=20, choices=JoinedHow.choices)
    is_mobile = models.BooleanField(_("流动党员"), default=False)
    mobile_to = models.CharField(_("外出流向"), max_length=200, blank=True)
    mobile_since = models.DateField(_("外出日期"), null=True, blank=True)
    is_lost_contact = models.BooleanField(_("失联党员"), default=False)
    lost_contact_since = models.DateField(_("失去联系日期"), null=True, blank=True)
    lost_contact_reason = models.CharField(
        _("失去联系情形"), max_length=24, choices=LostContactReason.choices, blank=True
    )
    is_needy = models.BooleanField(_("困难党员"), default=False)
    # 留党察看 (党章 Art. 39): under it from `_from` (inclusive) until `_until` (exclusive, the day rights are
    # restored); such a member may not vote, elect or be elected, nor sponsor an applicant.
    disciplinary_probation_from = models.DateField(_("留党察看起始日期"), null=True, blank=True)
    disciplinary_probation_until = models.DateField(_("留党察看期满日期"), null=True, blank=True)
    ended_on = models.DateField(_("党籍终止日期"), null=True, blank=True)
    end_reason = models.CharField(_("终止原因"), max_length=200, blank=True)
    end_document = models.CharField(_("决定文件"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    class Meta:
        indexes = [
            # Covers the subtree counts: join on org, filter and group by status and sex.
            models.Index(fields=["org", "status", "sex"], name="member_org_status_sex"),
            models.Index(fields=["status"], name="member_status"),
            # Serve the name search by prefix (core.textsearch.prefix_q): a LIKE 'p%' on PostgreSQL through
            # the pattern opclass, a binary range on SQLite (which ignores the opclass). name_pinyin and
            # name_initials have theirs from db_index=True.
            models.Index(fields=["name"], name="member_name_prefix", opclasses=["varchar_pattern_ops"]),
            models.Index(
                fields=["former_names"], name="member_former_names_prefix", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Transfer(models.Model):
    """Moving a membership between orgs (组织关系转接): the introduction letter, its receipt and return.

    The sending org stays responsible until the receiving org returns the receipt (MEM-TRANSFER-LETTER).
    `to_org` is empty when the receiving org is outside this system; `from_org` is empty for arrivals.
    """

    scope_path = "from_org__path"

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="transfers")
    from_org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, null=True, blank=True, related_name="transfers_out"
    )
    to_org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, null=True, blank=True, related_name="transfers_in"
    )
    external_org_name = models.CharField(_("系统外组织"), max_length=200, blank=True)
    letter_serial = models.CharField(_("介绍信编号"), max_length=40)
    dues_paid_to = models.DateField(_("党费交至"), help_text=_("所交党费的最后一个月（取该月1日）"))
    issued_on = models.DateField(_("开具日期"))
    valid_until = models.DateField(_("有效期至"))
    status = models.CharField(_("状态"), max_length=12, choices=TransferStatus.choices)
    received_on = models.DateField(_("接收日期"), null=True, blank=True)
    receipt_returned_on = models.DateField(_("回执退回日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    # A letter not yet received may be cancelled (撤销) with a reason; it stays on record, and a letter
    # reissued in its place names it (members.services.transfer_cancel, transfer_reissue).
    cancelled_on = models.DateField(_("撤销日期"), null=True, blank=True)
    cancel_reason = models.CharField(_("撤销原因"), max_length=200, blank=True)
    reissue_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reissues",
        verbose_name=_("重开自"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["-issued_on", "-id"]

    def __str__(self) -> str:
        return f"{self.letter_serial} ({self.member_id})"


class OrgMemberFigures(models.Model):
    """How many of an org's OWN direct members (not its subtree's) hold each status: one column per
    `MemberStatus` value, named after it. Dashboards add these rows up over a subtree instead of counting
    members live (members.selectors.subtree_member_counts, orgs.selectors.child_member_counts and the ORG-*
    facts of orgs.selectors.subtree_warnings).

    Kept current in the writing transaction by every service that creates a member, changes a member's
    status or moves a member to another org (members.figures.shift, a single upsert per org touched); the
    seed fills it set-based after loading members; `grassroots member_figures_refresh` recomputes it from
    the members (`--check` only reports drift). Being per org, an org move needs no recomputation.
    """

    scope_path = "org__path"

    org = models.OneToOneField("orgs.Org", on_delete=models.CASCADE, related_name="member_figures")
    probationary = models.IntegerField(default=0)
    full = models.IntegerField(default=0)
    suspended = models.IntegerField(default=0)
    transferred_out = models.IntegerField(default=0)
    withdrawn = models.IntegerField(default=0)
    removed = models.IntegerField(default=0)
    expelled = models.IntegerField(default=0)
    deceased = models.IntegerField(default=0)
    probation_cancelled = models.IntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    def __str__(self) -> str:
        return f"figures of org {self.org_id}"

    def counts(self) -> dict[str, int]:
        return {status: getattr(self, status) for status in MemberStatus.values}


class MemberWarningState(models.Model):
    """The MEM-* warnings a member's record calls for (MEM-LOST-CONTACT, MEM-TRANSFER-REQUIRED): one row per
    (member, rule), with the day the warning holds from (`holds_from`, which may lie ahead) and its message
    untranslated (`messages`: msgid and values). A stored derived table (core.derived "member_warnings"):
    kept by the member and transfer services in their transaction (members.warning_store.sync), filled after
    its migration and by the seed, checked nightly. Readers count the rows of a subtree that hold on the day
    (`holds_from <= today`), so a warning that comes with time needs no rewrite. `org` is the member's
    org, so that a subtree's count is one path-range join."""

    scope_path = "org__path"

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="warning_rows")
    org = models.ForeignKey("orgs.Org", on_delete=models.CASCADE, related_name="member_warning_rows")
    rule_id = models.CharField(max_length=32)
    holds_from = models.DateField()
    messages = models.JSONField(default=dict)
    computed_on = models.DateField()

    objects = ScopedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "rule_id"], name="member_warning_once_per_rule")
        ]
        indexes = [models.Index(fields=["org", "rule_id", "holds_from"], name="member_warning_org_rule")]

    def __str__(self) -> str:
        return f"{self.rule_id} of member {self.member_id}"
