"""Registers of the org tree as Excel workbooks (layout in core.xlsx)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from grassroots.core import xlsx
from grassroots.core.citations import plain_message, source

from . import rules
from .choices import OrgKind


def warnings_workbook(*, org, rows, rule: str, parents: dict[str, str], on: dt.date):
    """One line per warning of the listed orgs: `rows`: (org, its warnings) in tree order, the
    stored warnings of selectors.warned_orgs/stored_warnings."""
    kinds = dict(OrgKind.choices)
    columns = [
        xlsx.Column(_("序号"), 6, "int"),
        xlsx.Column(_("组织名称"), 36),
        xlsx.Column(_("组织代码"), 14),
        xlsx.Column(_("组织类别"), 10),
        xlsx.Column(_("上级组织"), 30),
        xlsx.Column(_("规则"), 18),
        xlsx.Column(_("提醒"), 60),
        xlsx.Column(_("依据"), 40),
    ]

    def lines():
        n = 0
        for o, warnings in rows:
            for w in warnings:
                n += 1
                yield (
                    n,
                    o.name,
                    o.code,
                    str(kinds.get(o.kind, o.kind)),
                    parents.get(o.parent_path, ""),
                    w.rule_id,
                    plain_message(w.message, w.rule_id),
                    source(w.rule_id) or "",
                )

    label = str(rules.WARNING_RULES[rule]) if rule else _("全部提醒")
    title = _("%(org)s 下级组织提醒（%(rule)s） 导出日期：%(date)s") % {
        "org": org.name,
        "rule": label,
        "date": on.isoformat(),
    }
    return xlsx.write_sheet(sheet_title=_("组织提醒"), title=title, columns=columns, rows=lines())
