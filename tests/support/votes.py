"""Votes through the API: a branch A with more full members, and the roster of a vote that fails."""

from __future__ import annotations

import datetime as dt

from grassroots.core.scoping import unscoped
from grassroots.recruitment.models import Applicant, RecruitmentEvent
from tests.factories import make_member

# Given names for the members added to branch A (张三 and 李四 are already there).
NAMES = ("赵六", "孙八", "周九", "吴十", "郑一", "冯二", "陈五", "褚七", "卫九", "蒋十")


def grow_branch(tree, full_members: int) -> list:
    """Add full members to branch A until it has `full_members` of them (张三 and 李四 count); returns them
    all, 张三 and 李四 first."""
    added = [make_member(tree.a, name) for name in NAMES[: full_members - 2]]
    return [tree.zhang, tree.li, *added]


def failing_roster(members: list) -> dict:
    """Five full members: three present (one yes, two no), one absent with a written yes, one absent without
    an opinion. A quorum (3 > 2.5), but 1 + 1 written yes is not more than half of the 5: 未通过."""
    a, b, c, d, _e = members
    return {"present": [a.pk, b.pk, c.pk], "written": [{"member": d.pk, "opinion": "yes"}]}


def stored_steps(applicant_id: int, kind: str) -> list[RecruitmentEvent]:
    with unscoped():
        return list(
            RecruitmentEvent.objects.unscoped_all()
            .filter(applicant_id=applicant_id, kind=kind)
            .order_by("sequence")
        )


def dossier_row(applicant_id: int) -> Applicant:
    with unscoped():
        return Applicant.objects.unscoped_all().get(pk=applicant_id)


def day_after(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=1)
