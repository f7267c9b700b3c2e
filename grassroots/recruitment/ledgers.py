"""The recruitment ledger (发展党员台账) as an Excel workbook: the same rows as the printable page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
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
        xlsx.Column(_("表决未通过"), 12, "date"),
    ]


def ledger_workbook(*, rows: Iterable[dict[str, Any]], title_org: str, on: dt.date):
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
            r["vote_failed_on"],
        )
        for n, r in enumerate(rows, start=1)
    )
    title = _("%(org)s 发展党员台账 导出日期：%(date)s") % {"org": title_org, "date": on.isoformat()}
    return xlsx.write_sheet(sheet_title=_("发展党员台账"), title=title, columns=ledger_columns(), rows=lines)


def children_workbook(*, org, rows: list[dict[str, Any]], totals: dict[str, Any] | None, on: dt.date):
    """各下级组织发展党员情况: one line per direct child org with its open dossiers per stage, the total and
    how many have an overdue step; a totals line last. The same figures as the board's table."""
    from .choices import Stage
    from .selectors import BOARD_STAGES

    columns = [
        xlsx.Column(_("序号"), 6, "int"),
        xlsx.Column(_("组织名称"), 36),
        *(xlsx.Column(str(Stage(s).label), 12, "int") for s in BOARD_STAGES),
        xlsx.Column(_("合计"), 8, "int"),
        xlsx.Column(_("逾期"), 8, "int"),
    ]
    lines: list[tuple] = [
        (n, r["org"].name, *(v for _s, _l, v in r["stages"]), r["total"], r["overdue"])
        for n, r in enumerate(rows, start=1)
    ]
    if totals is not None:
        lines.append(
            (None, _("合计"), *(v for _s, _l, v in totals["stages"]), totals["total"], totals["overdue"])
        )
    title = _("%(org)s 各下级组织发展党员情况 导出日期：%(date)s") % {"org": org.name, "date": on.isoformat()}
    return xlsx.write_sheet(sheet_title=_("各下级组织发展党员情况"), title=title, columns=columns, rows=lines)


def summary_workbook(*, applicant, id_number: str, rows: list[dict[str, Any]], on: dt.date):
    """The per-person summary (发展党员纪实表) as one sheet: the person in the title, one line per milestone."""
    columns = [
        xlsx.Column(_("序号"), 6, "int"),
        xlsx.Column(_("步骤"), 24),
        xlsx.Column(_("日期"), 12, "date"),
        xlsx.Column(_("情况"), 60),
        xlsx.Column(_("记录人"), 12),
        xlsx.Column(_("提醒"), 40),
    ]
    lines = (
        (
            n,
            r["label"],
            r["on"],
            r["details"],
            r["recorded_by"],
            "；".join(f"{w.get('message', '')}" for w in r["warnings"]),
        )
        for n, r in enumerate(rows, start=1)
    )
    title = _(
        "%(org)s 发展党员纪实表 %(name)s（%(sex)s，%(birth)s 生，身份证号 %(id)s） 导出日期：%(date)s"
    ) % {
        "org": applicant.org.name,
        "name": applicant.name,
        "sex": applicant.get_sex_display(),
        "birth": applicant.birth_date.isoformat(),
        "id": id_number or "—",
        "date": on.isoformat(),
    }
    return xlsx.write_sheet(sheet_title=_("发展党员纪实表"), title=title, columns=columns, rows=lines)
