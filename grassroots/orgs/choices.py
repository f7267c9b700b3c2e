from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgKind(models.TextChoices):
    COMMITTEE = "committee", _("基层党委")
    WORKING_COMMITTEE = "working_committee", _("党工委")
    GENERAL_BRANCH = "general_branch", _("党总支")
    BRANCH = "branch", _("党支部")
    GROUP = "group", _("党小组")


class UnitKind(models.TextChoices):
    GOVERNMENT = "government", _("党政机关")
    INSTITUTION = "institution", _("事业单位")
    SCHOOL = "school", _("学校")
    STATE_ENTERPRISE = "state_enterprise", _("国有企业")
    PRIVATE_ENTERPRISE = "private_enterprise", _("非公有制企业")
    SOCIAL_ORG = "social_org", _("社会组织")
    VILLAGE = "village", _("农村（村）")
    COMMUNITY = "community", _("街道社区")
    OTHER = "other", _("其他")


class UnitRelation(models.TextChoices):
    SAME_AS_PARENT = "same_as_parent", _("与上级党组织相同")
    LEGAL_ENTITY = "legal_entity", _("法人单位")
    JOINT = "joint", _("联合党支部")


class CommitteeRole(models.TextChoices):
    SECRETARY = "secretary", _("书记")
    DEPUTY_SECRETARY = "deputy_secretary", _("副书记")
    ORGANIZATION_OFFICER = "organization_officer", _("组织委员")
    PUBLICITY_OFFICER = "publicity_officer", _("宣传委员")
    DISCIPLINE_OFFICER = "discipline_officer", _("纪检委员")
    MASS_WORK_OFFICER = "mass_work_officer", _("群工委员")
    MEMBER = "member", _("委员")


class TermAdjustmentKind(models.TextChoices):
    POSTPONE = "postpone", _("延期换届")
    ADVANCE = "advance", _("提前换届")
