"""The payload of a step: which fields each step takes, their types, their labels, and the one parser of a
submitted or stored payload (`clean_payload`), used by the API (through `services.event_record`), the step
form (`forms.EventForm`, built from `input_fields`) and the replay of stored steps (`selectors.build_event`).

A payload's fields are those of the step's event in `rules.EVENT_TYPES`: vote counts flat, mentors and
sponsors as member ids, a vote's attendance as an optional `roster` ({"excluded": [{member, reason, note}],
"present": [ids], "written": [{member, opinion}]}). With a roster the counts it gives (`ROSTER_COUNTS`) may be
left out. Malformed input is refused with rule_id "API-VALIDATION", naming the field.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import MISSING, fields
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grassroots.core import hygiene
from grassroots.core.errors import RuleViolation

from . import rules
from .choices import EventKind

API_VALIDATION = "API-VALIDATION"
PEOPLE_FIELDS = frozenset({"mentors", "sponsors"})
VOTE_FIELD = "votes"
ROSTER_FIELD = "roster"
# The counts a roster gives: optional in a payload that has a roster.
ROSTER_COUNTS = ("should_attend", "present", "written_yes")

# Chinese labels of the payload fields (the API names stay English).
FIELD_LABELS = {
    "source": gettext_lazy("来源"),
    "decided_by": gettext_lazy("决定机构"),
    "branch_has_committee": gettext_lazy("支部设有支部委员会"),
    "filed_with_upper": gettext_lazy("已报上级党委备案"),
    "mentors": gettext_lazy("培养联系人"),
    "sponsors": gettext_lazy("入党介绍人"),
    "passed": gettext_lazy("结论"),
    "days": gettext_lazy("培训天数"),
    "hours": gettext_lazy("培训学时"),
    "start_on": gettext_lazy("公示开始日期"),
    "working_days": gettext_lazy("公示工作日数"),
    "should_attend": gettext_lazy("应到会有表决权的正式党员"),
    "present": gettext_lazy("实到会有表决权的正式党员"),
    "yes": gettext_lazy("赞成"),
    "no": gettext_lazy("反对"),
    "abstain": gettext_lazy("弃权"),
    "written_yes": gettext_lazy("因故缺席的正式党员书面赞成"),
    "outcome": gettext_lazy("决议"),
    "roster": gettext_lazy("参会名单"),
    "approved": gettext_lazy("审批结果"),
    "reason": gettext_lazy("理由或说明"),
    "months": gettext_lazy("延长月数"),
}
# How a yes/no field reads, where "是" / "否" would not do.
BOOL_CHOICES = {
    "passed": ((True, gettext_lazy("通过")), (False, gettext_lazy("未通过"))),
    "approved": ((True, gettext_lazy("批准")), (False, gettext_lazy("不批准"))),
}


def input_fields(kind: str) -> dict[str, tuple[str, bool]]:
    """The payload fields of a step: {name: (type, required)}. Vote counts are flat; people are id lists."""
    out: dict[str, tuple[str, bool]] = {}
    for f in fields(rules.EVENT_TYPES[kind]):
        if f.name == "on" or f.name in rules.FACT_FIELDS:
            continue
        if f.name == VOTE_FIELD:
            for v in fields(rules.VoteCounts):
                out[v.name] = (str(v.type), v.default is MISSING)
        elif f.name in PEOPLE_FIELDS:
            out[f.name] = ("ids", True)
        elif f.name == ROSTER_FIELD:
            out[f.name] = ("roster", False)
        else:
            out[f.name] = (str(f.type), f.default is MISSING and f.default_factory is MISSING)
    return out


def invalid(message: str, field_name: str | None) -> RuleViolation:
    return RuleViolation(API_VALIDATION, message, field=field_name)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _coerce(name: str, kind: str, value: Any) -> Any:
    if kind == "int" and _is_int(value):
        hygiene.check_int(
            value, field=name, maximum=hygiene.MAX_COUNT
        )  # INPUT-INT; negatives: the step's rule
        return value
    if kind == "bool" and isinstance(value, bool):
        return value
    if kind == "str" and isinstance(value, str):
        return value.strip()
    if kind.startswith("dt.date"):
        if value is None and kind.endswith("None"):
            return None
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
    if kind == "ids" and isinstance(value, list | tuple) and all(_is_int(v) for v in value):
        return [int(v) for v in value]
    if kind == "roster":
        roster = _clean_roster(value)
        if roster is not None:
            return roster
    raise invalid(_("输入有误：%(field)s 的值无效（API-VALIDATION）") % {"field": name}, name)


def _clean_roster(value: Any) -> dict[str, Any] | None:
    """A roster's shape checked and normalized (None: malformed). Each member appears once per list."""
    if not isinstance(value, dict) or set(value) - {"excluded", "present", "written"}:
        return None
    excluded, present, written = value.get("excluded", []), value.get("present", []), value.get("written", [])
    if not all(isinstance(v, list | tuple) for v in (excluded, present, written)):
        return None
    if not all(_is_int(v) for v in present):
        return None
    rows = [*excluded, *written]
    if not all(isinstance(r, dict) and _is_int(r.get("member")) for r in rows):
        return None
    if not all(set(r) <= {"member", "reason", "note"} for r in excluded) or not all(
        set(r) <= {"member", "opinion"} for r in written
    ):
        return None
    texts: list[Any] = []
    for r in excluded:
        texts += [r.get("reason"), r.get("note", "")]
    texts += [r.get("opinion") for r in written]
    if not all(isinstance(t, str) for t in texts):
        return None
    for ids in ([r["member"] for r in excluded], list(present), [r["member"] for r in written]):
        if len(set(ids)) != len(ids):
            return None
    return {
        "excluded": [
            {"member": r["member"], "reason": r["reason"], "note": r.get("note", "").strip()}
            for r in excluded
        ],
        "present": sorted(present),
        "written": [{"member": r["member"], "opinion": r["opinion"]} for r in written],
    }


def clean_payload(kind: str, payload: dict[str, Any]) -> dict[str, Any]:
    """The payload of a `kind` step with its values checked and typed; unknown or missing fields refused."""
    if kind not in rules.EVENT_TYPES:
        raise invalid(_("输入有误：未知的步骤“%(event)s”（API-VALIDATION）") % {"event": kind}, "event")
    hygiene.check_tree(payload)  # INPUT-TEXT, INPUT-INT, INPUT-DATE: control characters, huge numbers
    known = input_fields(kind)
    step = EventKind(kind).label
    unknown = sorted(set(payload) - set(known))
    if unknown:
        raise invalid(
            _("输入有误：“%(step)s”没有这些字段：%(names)s（API-VALIDATION）")
            % {"step": step, "names": "、".join(unknown)},
            unknown[0],
        )
    missing = [name for name, (_type, required) in known.items() if required and payload.get(name) is None]
    if payload.get(ROSTER_FIELD) is not None:
        missing = [name for name in missing if name not in ROSTER_COUNTS]
    if missing:
        raise invalid(
            _("输入有误：“%(step)s”须填写：%(names)s（API-VALIDATION）")
            % {"step": step, "names": "、".join(missing)},
            missing[0],
        )
    return {name: _coerce(name, known[name][0], value) for name, value in payload.items()}


def stored_payload(payload: dict[str, Any]) -> dict[str, Any]:
    """A cleaned payload as JSON (dates as ISO strings)."""
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in payload.items()}
