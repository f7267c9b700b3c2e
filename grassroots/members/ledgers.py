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


def roster_workbook(
    *,
    scope: Scope,
    members: QuerySet,
    title_org: str,
    on: dt.date,
    listed: str = "",
    tally: dict[str, int] | None = None,
):
    """`members` is the filtered, scoped list queryset (members.selectors.member_list + MemberFilter).

    ID numbers are in clear only where the caller's role may read them (permissions.ID_NUMBER_VIEW at the
    member's org), masked elsewhere, decided row by row without a query. `tally`, when given, is filled with
    what was written: "rows" and "clear" (the rows with an ID number in clear), for the export's audit event.
    """
    counts = tally if tally is not None else {}
    counts.update(rows=0, clear=0)
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
    flags = [(_FIELDS.index(key), label) for key, label in flag_labels]
    clear_cache: dict[str, bool] = {}

    def may_see(path: str) -> bool:
        if path not in clear_cache:
            clear_cache[path] = permissions.allows(scope, permissions.ID_NUMBER_VIEW, path)
        return clear_cache[path]

    def lines():
        rows = members.select_related(None).values_list(*_FIELDS)
        sex, education, occupation, status = (labels[k] for k in ("sex", "education", "occupation", "status"))
        for n, m in enumerate(rows.iterator(chunk_size=2000), start=1):
            (name, sex_, ethnicity, birth, encrypted, masked, edu, occ, st, admitted, converted, path) = m[
                :12
            ]
            clear = bool(encrypted) and may_see(path)
            id_text = crypto.decrypt(encrypted) if clear else masked
            counts["rows"] += 1
            counts["clear"] += clear
            yield (
                n,
                name,
                sex.get(sex_, sex_),
                ethnicity,
                birth,
                id_text,
                education.get(edu, edu),
                occupation.get(occ, occ),
                status.get(st, st),
                admitted,
                converted,
                m[12],
                m[13] or "",
                m[14],
                m[15],
                "、".join(label for i, label in flags if m[i]),
            )

    title = _("%(org)s 党员名册 导出日期：%(date)s") % {"org": title_org, "date": on.isoformat()}
    if listed:
        title = f"{title}（{listed}）"
    return xlsx.write_sheet(sheet_title=_("党员名册"), title=title, columns=roster_columns(), rows=lines())
