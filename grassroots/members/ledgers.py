"""The member roster (党员名册) as an Excel workbook: same filters as the list page, plain values rows."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from grassroots.core import crypto, permissions, xlsx
from grassroots.core.scoping import Scope

from .choices import Education, MemberStatus, Occupation, Sex

_FIELDS = (
    "name",
    "sex",
    "ethnicity",
    "birth_date",
    "id_number_encrypted",
    "id_number_masked",
    "education",
    "occupation",
    "status",
    "admitted_on",
    "converted_on",
    "org__path",
    "org__name",
    "party_group__name",
    "unit_name",
    "phone",
    "is_mobile",
    "is_lost_contact",
    "is_needy",
)


def roster_columns() -> list[xlsx.Column]:
    return [
        xlsx.Column(_("序号"), 6, "int"),
        xlsx.Column(_("姓名"), 10),
        xlsx.Column(_("性别"), 6),
        xlsx.Column(_("民族"), 8),
        xlsx.Column(_("出生日期"), 12, "date"),
        xlsx.Column(_("身份证号"), 21),
        xlsx.Column(_("学历"), 12),
        xlsx.Column(_("人员类别"), 14),
        xlsx.Column(_("党员状态"), 10),
        xlsx.Column(_("入党时间"), 12, "date"),
        xlsx.Column(_("转正时间"), 12, "date"),
        xlsx.Column(_("所在党组织"), 32),
        xlsx.Column(_("党小组"), 14),
        xlsx.Column(_("工作单位"), 24),
        xlsx.Column(_("联系电话"), 14),
        xlsx.Column(_("标记"), 12),
    ]


def roster_workbook(*, scope: Scope, members: QuerySet, title_org: str, on: dt.date):
    """`members` is the filtered, scoped list queryset (members.selectors.member_list + MemberFilter).

    ID numbers are in clear only where the caller's role may read them (permissions.ID_NUMBER_VIEW at the
    member's org), masked elsewhere, decided row by row without a query.
    """
    # Labels resolved to plain strings once, not per row (lazy translations cost a lookup each time).
    labels = {
        name: {value: str(label) for value, label in choices.choices}
        for name, choices in (
            ("sex", Sex),
            ("education", Education),
            ("occupation", Occupation),
            ("status", MemberStatus),
        )
    }
    flag_labels = (("is_mobile", _("流动")), ("is_lost_contact", _("失联")), ("is_needy", _("困难")))
    clear_cache: dict[str, bool] = {}

    def may_see(path: str) -> bool:
        if path not in clear_cache:
            clear_cache[path] = permissions.allows(scope, permissions.ID_NUMBER_VIEW, path)
        return clear_cache[path]

    def lines():
        rows = members.select_related(None).values(*_FIELDS)
        for n, m in enumerate(rows.iterator(chunk_size=2000), start=1):
            if m["id_number_encrypted"] and may_see(m["org__path"]):
                id_text = crypto.decrypt(m["id_number_encrypted"])
            else:
                id_text = m["id_number_masked"]
            yield (
                n,
                m["name"],
                labels["sex"].get(m["sex"], m["sex"]),
                m["ethnicity"],
                m["birth_date"],
                id_text,
                labels["education"].get(m["education"], m["education"]),
                labels["occupation"].get(m["occupation"], m["occupation"]),
                labels["status"].get(m["status"], m["status"]),
                m["admitted_on"],
                m["converted_on"],
                m["org__name"],
                m["party_group__name"] or "",
                m["unit_name"],
                m["phone"],
                "、".join(label for key, label in flag_labels if m[key]),
            )

    title = _("%(org)s 党员名册 导出日期：%(date)s") % {"org": title_org, "date": on.isoformat()}
    return xlsx.write_sheet(sheet_title=_("党员名册"), title=title, columns=roster_columns(), rows=lines())
