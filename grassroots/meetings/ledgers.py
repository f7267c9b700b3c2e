"""The 三会一课 register (会议记录本) as an Excel workbook: the same meetings as its printable page.

Two sheets: 会议记录本 lists every meeting of the org and year (one line each, with its counts, the state of its
minutes, the 补记 mark and the number of amendments); 会议记录 gives each finalized meeting's minutes text,
then its amendments (author, time, reason, text), its attendance (present, excused with the reason, absent)
and its votes. Every text is written as text (core.xlsx: never a formula, so a topic "=1+2" stays "=1+2").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.core import xlsx

from .registers import Register, RegisterMeeting


def when(value: dt.datetime | None) -> str:
    """A moment as the register writes it (local time, to the minute)."""
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def late_mark(row: RegisterMeeting) -> str:
    return _("补记") if row.is_late_entry else ""


def vote_line(vote) -> str:
    """One vote as a line of the register: the motion, the counts, the quorum and the outcome."""
    return _(
        "%(motion)s（%(subject)s）：应到%(should)s人，实到%(present)s人；赞成%(yes)s，反对%(no)s，弃权%(abstain)s；"
        "%(quorum)s；%(outcome)s"
    ) % {
        "motion": vote.motion,
        "subject": vote.get_subject_display(),
        "should": vote.should_attend,
        "present": vote.present,
        "yes": vote.yes,
        "no": vote.no,
        "abstain": vote.abstain,
        "quorum": _("达到法定人数") if vote.quorum_met else _("未达到法定人数"),
        "outcome": _("通过") if vote.passed else _("未通过"),
    }


def excused_line(excused: list[tuple[str, str]]) -> str:
    return "、".join(f"{name}（{reason}）" if reason else name for name, reason in excused)


def _person(member) -> str:
    return member.name if member is not None else ""


def meeting_lines(register: Register) -> Iterator[tuple]:
    for n, row in enumerate(register.meetings, start=1):
        m = row.meeting
        yield (
            n,
            row.held_on,
            m.get_kind_display(),
            m.topic,
            m.place,
            _person(m.convener),
            _person(m.recorder),
            m.expected_count,
            m.present_count,
            m.excused_count,
            m.absent_count,
            m.get_status_display(),
            row.minutes_label,
            late_mark(row),
            row.amendment_count,
        )


def detail_lines(register: Register) -> Iterator[tuple]:
    """Per finalized meeting: its minutes, each amendment, its attendance and each vote, one line each."""
    for n, row in enumerate(register.meetings, start=1):
        if not row.is_final:
            continue
        m = row.meeting
        head = (n, row.held_on, m.get_kind_display(), m.topic)
        minutes_item = _("会议记录（补记）") if row.is_late_entry else _("会议记录")
        yield (*head, minutes_item, row.minutes_text, _person(m.recorder), when(row.finalized_at), "")
        for i, a in enumerate(row.amendments, start=1):
            yield (*head, _("更正说明%(n)s") % {"n": i}, a.text, a.author_label, when(a.created_at), a.reason)
        yield (*head, _("出席"), "、".join(row.present), "", "", "")
        yield (*head, _("请假"), excused_line(row.excused), "", "", "")
        yield (*head, _("缺席"), "、".join(row.absent), "", "", "")
        if row.guests:
            yield (*head, _("列席"), "、".join(row.guests), "", "", "")
        for v in row.votes:
            yield (*head, _("表决%(n)s") % {"n": v.sequence}, vote_line(v), "", when(v.recorded_at), "")


def register_columns() -> list[xlsx.Column]:
    return [
        xlsx.Column(_("序号"), 6, "int"),
        xlsx.Column(_("会议日期"), 12, "date"),
        xlsx.Column(_("会议类型"), 14),
        xlsx.Column(_("会议主题"), 36),
        xlsx.Column(_("地点"), 18),
        xlsx.Column(_("主持人"), 10),
        xlsx.Column(_("记录人"), 10),
        xlsx.Column(_("应到"), 7, "int"),
        xlsx.Column(_("实到"), 7, "int"),
        xlsx.Column(_("请假"), 7, "int"),
        xlsx.Column(_("缺席"), 7, "int"),
        xlsx.Column(_("会议状态"), 10),
        xlsx.Column(_("会议记录"), 14),
        xlsx.Column(_("补记"), 7),
        xlsx.Column(_("更正次数"), 9, "int"),
    ]


def detail_columns() -> list[xlsx.Column]:
    return [
        xlsx.Column(_("序号"), 6, "int"),
        xlsx.Column(_("会议日期"), 12, "date"),
        xlsx.Column(_("会议类型"), 14),
        xlsx.Column(_("会议主题"), 30),
        xlsx.Column(_("项目"), 16),
        xlsx.Column(_("内容"), 70),
        xlsx.Column(_("记录人或更正人"), 14),
        xlsx.Column(_("时间"), 17),
        xlsx.Column(_("更正理由"), 30),
    ]


def register_title(register: Register, on: dt.date) -> str:
    return _("%(org)s %(year)s年 三会一课会议记录本 导出日期：%(date)s") % {
        "org": register.org.name,
        "year": register.year,
        "date": on.isoformat(),
    }


def register_workbook(register: Register, *, on: dt.date):
    """The register's workbook (a rewound temporary file)."""
    title = register_title(register, on)
    return xlsx.write_book(
        [
            xlsx.Sheet(_("会议记录本"), title, register_columns(), meeting_lines(register)),
            xlsx.Sheet(_("会议记录"), title, detail_columns(), detail_lines(register)),
        ]
    )
