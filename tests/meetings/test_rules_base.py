"""What the rules share: kinds and statuses as the choices store them, the policy's defaults and bounds, and a
citation for every rule id the rules raise or report."""

import ast
import pathlib
import re

import pytest

from grassroots.core.citations import DOCUMENTS, LOCAL
from grassroots.meetings import rules
from grassroots.meetings.citations import SOURCES
from grassroots.meetings.rules import MeetingPolicy

RULES_DIR = pathlib.Path(rules.__file__).parent


def test_kinds_are_the_stored_values_when_compared():
    assert {
        "general_meeting",
        "committee_meeting",
        "group_meeting",
        "party_lecture",
        "themed_day",
        "org_life_meeting",
        "appraisal",
    } == rules.MEETING_KINDS
    assert rules.MEETING_KINDS | {"talk"} == rules.KINDS
    assert rules.STATUSES == ("present", "excused", "absent")
    assert {"committee", "working_committee", "general_branch", "branch", "group"} == rules.ORG_KINDS


def test_policy_defaults_are_those_of_rules_md_when_not_set():
    policy = MeetingPolicy()
    assert (policy.lectures_per_quarter, policy.minutes_late_days) == (1, 7)
    assert (policy.lapse_warn_months, policy.lapse_months) == (3, 6)
    assert policy == rules.DEFAULT_POLICY


@pytest.mark.parametrize(
    "values",
    [
        {"lectures_per_quarter": 0},
        {"lectures_per_quarter": 13},
        {"minutes_late_days": -1},
        {"minutes_late_days": 367},
        {"lapse_warn_months": 7},
        {"lapse_months": 25},
    ],
)
def test_policy_is_refused_when_out_of_bounds(values):
    with pytest.raises(ValueError):
        MeetingPolicy(**values)


@pytest.mark.parametrize(
    "values",
    [{"lectures_per_quarter": 12}, {"minutes_late_days": 0}, {"lapse_warn_months": 6}, {"lapse_months": 24}],
)
def test_policy_is_accepted_when_at_its_bounds(values):
    MeetingPolicy(**values)


def _rule_ids_in_rules():
    ids = set()
    for path in RULES_DIR.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                ids.update(re.findall(r"^(?:MTG|MEM)-[A-Z0-9-]*[A-Z0-9]$", node.value))
    return ids


def test_every_mtg_rule_id_has_a_source_when_the_rules_use_it():
    used = _rule_ids_in_rules()
    assert {"MTG-QUORUM-GENERAL", "MTG-VOTE-COUNTS", "MTG-SIGN-IN", "MEM-APPRAISAL-GRADES"} <= used
    assert {i for i in used if i.startswith("MTG-")} | set(rules.CADENCE_RULE_IDS) <= set(SOURCES)


def test_sources_name_known_documents_when_cited():
    for cites in SOURCES.values():
        for c in cites:
            assert c.document == LOCAL or c.document in DOCUMENTS


def test_every_public_name_is_exported_when_the_package_is_imported():
    assert all(hasattr(rules, name) for name in rules.__all__)
    assert len(rules.__all__) == len(set(rules.__all__))
