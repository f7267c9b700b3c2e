"""Rules on organizations: 中国共产党支部工作条例（试行）(2018) Art. 4, 23 and ch. 6; 党章 Art. 31;
中国共产党基层组织选举工作条例 (2020) Art. 3.

Pure functions: facts and a date in, warnings or a RuleViolation out. No ORM, no clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from grassroots.core.dates import cn_date, full_years_between
from grassroots.core.errors import RuleViolation

BRANCH_MIN_FULL_MEMBERS = 3  # ORG-BRANCH-MIN-3
BRANCH_MAX_MEMBERS = 50  # ORG-BRANCH-MAX-50
COMMITTEE_REQUIRED_FROM = 7  # ORG-COMMITTEE-7: full members from which a branch elects a committee
COMMITTEE_SIZE = (3, 7)  # 3-5 normally, 7 at most
COMMITTEE_REQUIRED_ROLES = ("secretary", "organization_officer", "publicity_officer", "discipline_officer")
JOINT_BRANCH_MAX_UNITS = 5
SECRETARY_MIN_STANDING_YEARS = 1  # ORG-SECRETARY-1Y

# The warning rules an upper org follows across its subtree, in the order they are summarized, with short
# labels for dashboards (the full message of each warning explains the rule).
WARNING_RULES: dict[str, str] = {
    "ORG-TERM": gettext_lazy("换届逾期"),
    "ORG-COMMITTEE-7": gettext_lazy("委员会设置"),
    "ORG-SECRETARY-1Y": gettext_lazy("书记配备"),
    "ORG-BRANCH-MIN-3": gettext_lazy("正式党员不足3名"),
    "ORG-BRANCH-MAX-50": gettext_lazy("党员超过50名"),
}

# Org kinds each kind may hold directly (ORG-KIND-NESTING); "" stands for the top of the tree.
ALLOWED_CHILDREN: dict[str, frozenset[str]] = {
    "": frozenset({"committee", "working_committee"}),
    "committee": frozenset({"committee", "working_committee", "general_branch", "branch"}),
    "working_committee": frozenset({"committee", "general_branch", "branch"}),
    "general_branch": frozenset({"branch"}),
    "branch": frozenset({"group"}),
    "group": frozenset(),
}

KINDS_WITH_MEMBERS = frozenset({"committee", "working_committee", "general_branch", "branch"})


@dataclass(frozen=True)
class OrgWarning:
    """A warning: its rule, its message in the active language, and the facts behind it (`params`).

    `msgid` and `values` are the untranslated message and what fills it (JSON values: numbers, ISO dates, role
    codes), so a stored warning can be shown again in whatever language is active (`warning_message`).
    """

    rule_id: str
    message: str
    params: dict = field(default_factory=dict, compare=False)
    msgid: str = field(default="", compare=False)
    values: dict = field(default_factory=dict, compare=False)


def _warning(rule_id: str, msgid: str, values: dict, params: dict) -> OrgWarning:
    return OrgWarning(rule_id, warning_message(msgid, values), params, msgid, values)


def warning_message(msgid: str, values: dict) -> str:
    """The text of a warning in the active language: `msgid` translated, filled with `values` (a "date" is an
    ISO date shown as messages write dates, "roles" a list of committee role codes)."""
    shown = dict(values)
    if "date" in shown:
        shown["date"] = cn_date(dt.date.fromisoformat(shown["date"]))
    if "roles" in shown:
        shown["roles"] = "、".join(_role_label(r) for r in shown["roles"])
    return _(msgid) % shown


@dataclass(frozen=True)
class CommitteeFacts:
    elected_on: dt.date
    term_ends_on: dt.date
    roles: tuple[str, ...]
    postponement_approved_until: dt.date | None = None
    secretary_converted_on: dt.date | None = None


@dataclass(frozen=True)
class OrgFacts:
    kind: str
    unit_kind: str
    full_members: int
    members: int
    is_joint: bool = False
    unit_count: int = 1
    committee: CommitteeFacts | None = None
    secretary_vacant_since: dt.date | None = None


def term_years(kind: str, unit_kind: str) -> int:
    """Default term of a committee (ORG-TERM): villages and communities 5 years; basic committees 5 (the
    policy range is 3-5); general branches and branches 3."""
    if unit_kind in ("village", "community"):
        return 5
    if kind in ("committee", "working_committee"):
        return 5
    return 3


def check_child_kind(parent_kind: str, child_kind: str) -> None:
    """ORG-KIND-NESTING: groups sit in branches, branches in general branches or committees, and so on."""
    if child_kind not in ALLOWED_CHILDREN.get(parent_kind, frozenset()):
        raise RuleViolation(
            "ORG-KIND-NESTING",
            _("“%(child)s”不能设在“%(parent)s”之下（ORG-KIND-NESTING）")
            % {"child": _kind_label(child_kind), "parent": _kind_label(parent_kind) or _("顶层")},
            field="kind",
        )


def check_move(node_path: str, target_path: str) -> None:
    """ORG-MOVE-CYCLE: an org cannot move under itself or one of its own descendants."""
    if target_path.startswith(node_path):
        raise RuleViolation(
            "ORG-MOVE-CYCLE",
            _("不能把党组织移动到它自身或其下级组织之下（ORG-MOVE-CYCLE）"),
            field="parent",
        )


def check_joint_units(unit_count: int) -> None:
    """ORG-BRANCH-MIN-3: a joint branch covers at most five units."""
    if unit_count > JOINT_BRANCH_MAX_UNITS:
        raise RuleViolation(
            "ORG-BRANCH-MIN-3",
            _("联合党支部所含单位一般不超过%(max)d个（ORG-BRANCH-MIN-3）") % {"max": JOINT_BRANCH_MAX_UNITS},
            field="units",
        )


def org_warnings(facts: OrgFacts, on: dt.date) -> list[OrgWarning]:
    """Every ORG-* warning that holds for the org on the given date."""
    out: list[OrgWarning] = []
    if facts.kind == "branch":
        if facts.full_members < BRANCH_MIN_FULL_MEMBERS:
            out.append(
                _warning(
                    "ORG-BRANCH-MIN-3",
                    gettext_noop("正式党员%(n)d名，不足3名，应与邻近单位成立联合党支部（ORG-BRANCH-MIN-3）"),
                    {"n": facts.full_members},
                    {"full_members": facts.full_members},
                )
            )
        if facts.members > BRANCH_MAX_MEMBERS:
            out.append(
                _warning(
                    "ORG-BRANCH-MAX-50",
                    gettext_noop("党员%(n)d名，超过50名，一般应分设党支部（ORG-BRANCH-MAX-50）"),
                    {"n": facts.members},
                    {"members": facts.members},
                )
            )
        if facts.is_joint and facts.unit_count > JOINT_BRANCH_MAX_UNITS:
            out.append(
                _warning(
                    "ORG-BRANCH-MIN-3",
                    gettext_noop("联合党支部覆盖%(n)d个单位，一般不超过5个（ORG-BRANCH-MIN-3）"),
                    {"n": facts.unit_count},
                    {"unit_count": facts.unit_count},
                )
            )
    out.extend(_committee_warnings(facts, on))
    return out


def _committee_warnings(facts: OrgFacts, on: dt.date) -> list[OrgWarning]:
    out: list[OrgWarning] = []
    needs_committee = facts.kind != "branch" or facts.full_members >= COMMITTEE_REQUIRED_FROM
    committee = facts.committee
    if facts.kind == "group":
        return out
    if committee is None:
        if needs_committee:
            out.append(
                _warning(
                    "ORG-COMMITTEE-7",
                    gettext_noop("正式党员%(n)d名，应选举产生委员会，目前未录入委员会（ORG-COMMITTEE-7）"),
                    {"n": facts.full_members},
                    {"full_members": facts.full_members},
                )
            )
        return out
    size = len(committee.roles)
    if facts.kind == "branch" and needs_committee and not (COMMITTEE_SIZE[0] <= size <= COMMITTEE_SIZE[1]):
        out.append(
            _warning(
                "ORG-COMMITTEE-7",
                gettext_noop("支部委员会现有委员%(n)d名，应为3至5名，最多不超过7名（ORG-COMMITTEE-7）"),
                {"n": size},
                {"size": size},
            )
        )
    if needs_committee and size >= COMMITTEE_SIZE[0]:
        # A vacant secretary post is ORG-SECRETARY-1Y's to report, once.
        missing = [r for r in COMMITTEE_REQUIRED_ROLES if r not in committee.roles and r != "secretary"]
        if missing:
            out.append(
                _warning(
                    "ORG-COMMITTEE-7",
                    gettext_noop("委员会缺少：%(roles)s（ORG-COMMITTEE-7）"),
                    {"roles": missing},
                    {"missing": missing},
                )
            )
    deadline = committee.postponement_approved_until or committee.term_ends_on
    if on > deadline:
        out.append(
            _warning(
                "ORG-TERM",
                gettext_noop("委员会任期已于%(date)s届满，应按期换届（ORG-TERM）"),
                {"date": deadline.isoformat()},
                {"term_ends_on": deadline.isoformat()},
            )
        )
    if "secretary" not in committee.roles:
        since = facts.secretary_vacant_since
        out.append(
            _warning(
                "ORG-SECRETARY-1Y",
                gettext_noop("书记空缺（自%(date)s起）（ORG-SECRETARY-1Y）")
                if since
                else gettext_noop("书记空缺（ORG-SECRETARY-1Y）"),
                {"date": since.isoformat()} if since else {},
                {"vacant_since": since.isoformat() if since else None},
            )
        )
    elif committee.secretary_converted_on is None or (
        full_years_between(committee.secretary_converted_on, on) < SECRETARY_MIN_STANDING_YEARS
    ):
        out.append(
            _warning(
                "ORG-SECRETARY-1Y",
                gettext_noop("书记党龄不足1年，一般应具有1年以上党龄（ORG-SECRETARY-1Y）"),
                {},
                {},
            )
        )
    return out


def _kind_label(kind: str) -> str:
    from .choices import OrgKind

    return str(OrgKind(kind).label) if kind else ""


def _role_label(role: str) -> str:
    from .choices import CommitteeRole

    return str(CommitteeRole(role).label)
