"""The recruitment ledger (发展党员台账) as an Excel workbook: the same rows as the printable page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from grassroots.core import xlsx
from grassroots.members.choices import Sex


def ledger_columns() -> list[xlsx.Column]:
    return [
        xlsx.Column(_("序号"), 6, "int"),
        xlsx.Column(_("姓名"), 10),
        xlsx.Column(_("性别"), 6),
        xlsx.Column(_("出生日期"), 12, "date"),
        xlsx.Column(_("所在党组织"), 30),
        xlsx.Column(_("提出入党申请"), 13, "date"),
        xlsx.Column(_("入党谈话"), 12, "date"),
        xlsx.Column(_("确定为入党积极分子"), 14, "date"),
        xlsx.Column(_("确定为发展对象"), 14, "date"),
        xlsx.Column(_("入党时间"), 12, "date"),
        xlsx.Column(_("转正时间"), 12, "date"),
        xlsx.Column(_("阶段"), 14),
    ]


def ledger_workbook(*, rows: list[dict[str, Any]], title_org: str, on: dt.date):
    sexes = {value: str(label) for value, label in Sex.choices}
    lines = (
        (
            n,
            r["name"],
            sexes.get(r["sex"], r["sex"]),
            r["birth_date"],
            r["org"].name,
            r["applied_on"],
            r["talk_on"],
            r["activist_on"],
            r["candidate_on"],
            r["admitted_on"],
            r["converted_on"],
            r["stage_label"],
        )
        for n, r in enumerate(rows, start=1)
    )
    title = _("%(org)s 发展党员台账 导出日期：%(date)s") % {"org": title_org, "date": on.isoformat()}
    return xlsx.write_sheet(sheet_title=_("发展党员台账"), title=title, columns=ledger_columns(), rows=lines)
