"""Template helpers shared by every page: labels for audit actions, active nav links, query strings."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

# Labels for audit action codes (audit.services.record callers).
ACTION_LABELS = {
    "org.create": _("新建组织"),
    "org.update": _("修改组织信息"),
    "org.move": _("调整上级组织"),
    "org.end": _("撤销组织"),
    "org.unit_add": _("添加所在单位"),
    "committee.elect": _("换届选举"),
    "member.create": _("新建党员档案"),
    "member.update": _("修改党员信息"),
    "member.end": _("终止或停止党籍"),
    "member.restore": _("恢复党籍"),
    "member.link_user": _("关联登录账号"),
    "member.self_update": _("本人修改联系方式"),
    "member_figures.refresh": _("校正党员数量统计"),
    "transfer.issue": _("开具介绍信"),
    "transfer.receive": _("接收组织关系"),
    "transfer.receipt": _("回执退回"),
    "transfer.cancel": _("撤销介绍信"),
    "user.password_change": _("修改密码"),
    "user.create": _("新建用户"),
    "grant.add": _("授予角色"),
    "grant.revoke": _("撤销角色"),
    "token.issue": _("签发接口令牌"),
    "token.revoke": _("撤销接口令牌"),
    "id_key.rotate": _("更换身份证号加密密钥"),
    "seed.load": _("导入演示数据"),
    "document.attach": _("上传材料"),
    "document.withdraw": _("撤回材料"),
    "calendar.day_add": _("录入节假日"),
    "calendar.day_remove": _("撤销节假日"),
    "calendar.schedule_enter": _("录入整年节假日安排"),
    "calendar.year_confirm": _("确认节假日安排完整"),
    "recruitment.event_void": _("作废步骤"),
    "personal_data.export": _("导出个人信息"),
    "personal_data.id_search": _("按身份证号检索"),
}


@register.filter
def action_label(code: str) -> str:
    return ACTION_LABELS.get(code, code)


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (pagination links keep the filters)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def get_item(mapping, key):
    if not mapping:
        return None
    return mapping.get(key)


@register.simple_tag
def page_numbers(page) -> list[int | None]:
    """The page numbers a list shows around `page` (a Django Page): the first two, three either side of the
    current one and the last two, None where numbers are left out (shown as an ellipsis)."""
    paginator = page.paginator
    return [
        None if n == paginator.ELLIPSIS else n
        for n in paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    ]


@register.simple_tag(takes_context=True)
def query_except(context, *names) -> list[tuple[str, str]]:
    """The current query's (name, value) pairs but `names`: the hidden fields of a small GET form (the
    jump-to-page box) that keeps the list's filters."""
    return [(k, v) for k, values in context["request"].GET.lists() if k not in names for v in values]
