"""Rules on organizations: 中国共产党支部工作条例（试行）(2018) Art. 4, 23 and ch. 6; 党章 Art. 31;
中国共产党基层组织选举工作条例 (2020) Art. 3.

Pure functions: facts and a date in, warnings or a RuleViolation out. No ORM, no clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from grassroots.core.dates import add_years, cn_date, full_years_between
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
    due_on: dt.date | None = None  # a postponement or advancement approved by the upper organization
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


@dataclass(frozen=True)
class OrgPolicy:
    """The durations an organization department may set for its subtree (RULES.md *policy*); the defaults are
    the regulations'."""

    branch_term_years: int = (
        3  # ORG-TERM: branch and general branch committees (条例2018, 选举条例2020 Art. 3)
    )
    village_term_years: int = 5  # ORG-TERM: village and community party organizations
    committee_term_years: int = 5  # ORG-TERM: basic committees, 3 to 5 years (党章 Art. 31)
    letter_valid_months: int = 3  # MEM-TRANSFER-LETTER: validity of an introduction letter


# The lawful range of each policy value (ORG-POLICY).
POLICY_RANGES: dict[str, tuple[int, int]] = {
    "branch_term_years": (2, 3),
    "village_term_years": (3, 5),
    "committee_term_years": (3, 5),
    "letter_valid_months": (1, 6),
}


def check_policy(values: dict) -> OrgPolicy:
    """ORG-POLICY: every value an integer inside its lawful range; the policy they make."""
    for name, (low, high) in POLICY_RANGES.items():
        value = values.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise RuleViolation(
                "ORG-POLICY",
                _("该参数须为 %(low)d 到 %(high)d 之间的整数（ORG-POLICY）") % {"low": low, "high": high},
                field=name,
            )
    return OrgPolicy(**{name: values[name] for name in POLICY_RANGES})


def term_years(kind: str, unit_kind: str, policy: OrgPolicy | None = None) -> int:
    """The term of a committee (ORG-TERM) under `policy` (default: the regulations): villages and communities
    5 years; basic committees 3-5 (5); general branches and branches 3."""
    policy = policy or OrgPolicy()
    if unit_kind in ("village", "community"):
        return policy.village_term_years
    if kind in ("committee", "working_committee"):
        return policy.committee_term_years
    return policy.branch_term_years


TERM_ADJUST_MAX_YEARS = 1  # ORG-TERM: a postponement or advancement is at most one year


def check_term_adjustment(
    *,
    kind: str,
    elected_on: dt.date,
    term_ends_on: dt.date,
    due_on: dt.date,
    approved_by: str,
    document_number: str,
    approved_on: dt.date,
    today: dt.date,
) -> None:
    """ORG-TERM: a postponed or advanced election is approved by the upper organization (who, document number,
    date) and moves the end of the term by at most one year."""
    if not approved_by.strip():
        raise RuleViolation("ORG-TERM", _("请填写批准的上级党组织（ORG-TERM）"), field="approved_by")
    if not document_number.strip():
        raise RuleViolation("ORG-TERM", _("请填写批准文号（ORG-TERM）"), field="document_number")
    if approved_on > today:
        raise RuleViolation("ORG-TERM", _("批准日期不能晚于今天（ORG-TERM）"), field="approved_on")
    if approved_on < elected_on:
        raise RuleViolation(
            "ORG-TERM", _("批准日期不能早于本届委员会的选举日期（ORG-TERM）"), field="approved_on"
        )
    values = {"date": cn_date(term_ends_on)}
    if kind == "postpone":
        latest = add_years(term_ends_on, TERM_ADJUST_MAX_YEARS)
        if due_on <= term_ends_on:
            raise RuleViolation(
                "ORG-TERM", _("延期换届的日期应晚于任期届满日%(date)s（ORG-TERM）") % values, field="due_on"
            )
        if due_on > latest:
            raise RuleViolation(
                "ORG-TERM",
                _("延期换届一般不超过1年，最晚至%(date)s（ORG-TERM）") % {"date": cn_date(latest)},
                field="due_on",
            )
    elif kind == "advance":
        earliest = add_years(term_ends_on, -TERM_ADJUST_MAX_YEARS)
        if due_on >= term_ends_on:
            raise RuleViolation(
                "ORG-TERM", _("提前换届的日期应早于任期届满日%(date)s（ORG-TERM）") % values, field="due_on"
            )
        if due_on < earliest or due_on <= elected_on:
            raise RuleViolation(
                "ORG-TERM",
                _("提前换届一般不超过1年，最早至%(date)s（ORG-TERM）")
                % {"date": cn_date(max(earliest, elected_on + dt.timedelta(days=1)))},
                field="due_on",
            )
    else:
        raise RuleViolation("ORG-TERM", _("请选择延期换届或提前换届（ORG-TERM）"), field="kind")


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


Span = tuple[dt.date | None, dt.date | None]  # a unit's valid_from and valid_until (inclusive; None: open)


def most_units_at_once(spans: list[Span]) -> int:
    """The largest number of these units an org covers on any one day."""
    starts = sorted({start for start, _end in spans if start is not None})
    days: list[dt.date | None] = [None, *starts]  # None: before any dated start

    def covers(span: Span, day: dt.date | None) -> bool:
        start, end = span
        if day is None:
            return start is None
        return (start is None or start <= day) and (end is None or day <= end)

    return max((sum(covers(span, day) for span in spans) for day in days), default=0)


def check_units(*, kind: str, is_joint: bool, spans: list[Span]) -> None:
    """ORG-BRANCH-MIN-3: only a branch is a joint branch (联合党支部), and it covers at most five units on any
    day. Run by every service that changes an org's units, kind or joint flag."""
    if is_joint and kind != "branch":
        raise RuleViolation(
            "ORG-BRANCH-MIN-3", _("只有党支部可以是联合党支部（ORG-BRANCH-MIN-3）"), field="is_joint"
        )
    for start, end in spans:
        if start is not None and end is not None and end < start:
            raise RuleViolation(
                "ORG-BRANCH-MIN-3", _("单位退出日期不能早于纳入日期（ORG-BRANCH-MIN-3）"), field="valid_until"
            )
    if is_joint:
        check_joint_units(most_units_at_once(spans))


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
    deadline = committee.due_on or committee.term_ends_on
    if on > deadline:
        out.append(
            _warning(
                "ORG-TERM",
                gettext_noop("经上级批准的换届日期%(date)s已过，应按期换届（ORG-TERM）")
                if committee.due_on
                else gettext_noop("委员会任期已于%(date)s届满，应按期换届（ORG-TERM）"),
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
