from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ORG_ADMIN = "org_admin", _("组织管理员")
    SECRETARY = "secretary", _("书记")
    OFFICER = "officer", _("支委委员")
    MEMBER = "member", _("党员")
    VIEWER = "viewer", _("查看")
