"""The stage graph (REC-STAGE): in each stage, the steps allowed and the stage each leads to; checked at import."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ..choices import (
    EventKind,
    Stage,
)
from .events import EVENT_TYPES


class StageGraphError(Exception):
    """The stage graph is inconsistent (raised at import)."""


# The stage graph: in each stage, the steps allowed and the stage each leads to. Terminal stages allow none.
GRAPH: dict[str, dict[str, str]] = {
    Stage.APPLICANT: {
        EventKind.TALK: Stage.APPLICANT,
        EventKind.PUBLIC_NOTICE: Stage.APPLICANT,
        EventKind.ACTIVIST_DESIGNATED: Stage.ACTIVIST,
    },
    Stage.ACTIVIST: {
        EventKind.MENTORS_ASSIGNED: Stage.ACTIVIST,
        EventKind.ASSESSMENT: Stage.ACTIVIST,
        EventKind.PUBLIC_NOTICE: Stage.ACTIVIST,
        EventKind.CANDIDATE_DESIGNATED: Stage.CANDIDATE,
    },
    Stage.CANDIDATE: {
        EventKind.SPONSORS_ASSIGNED: Stage.CANDIDATE,
        EventKind.POLITICAL_REVIEW: Stage.CANDIDATE,
        EventKind.TRAINING_COMPLETED: Stage.CANDIDATE,
        EventKind.PRE_REVIEW: Stage.CANDIDATE,
        EventKind.PUBLIC_NOTICE: Stage.CANDIDATE,
        EventKind.BRANCH_VOTE: Stage.CANDIDATE,
        EventKind.APPROVAL: Stage.PROBATIONARY,  # when approved
    },
    Stage.PROBATIONARY: {
        EventKind.OATH: Stage.PROBATIONARY,
        EventKind.PUBLIC_NOTICE: Stage.PROBATIONARY,
        EventKind.CONVERSION_VOTE: Stage.PROBATIONARY,
        EventKind.CONVERSION_APPROVAL: Stage.FULL,  # when approved
        EventKind.PROBATION_EXTENDED: Stage.PROBATIONARY,
        EventKind.PROBATION_CANCELLED: Stage.CANCELLED,
    },
    Stage.FULL: {},
    Stage.CANCELLED: {},
}
START = Stage.APPLICANT
TERMINAL = frozenset({Stage.FULL, Stage.CANCELLED})


def check_graph(
    graph: Mapping[str, Mapping[str, str]],
    *,
    start: str,
    terminal: Iterable[str],
    stages: Iterable[str],
    kinds: Iterable[str],
    event_types: Mapping[str, type],
) -> None:
    """Raise StageGraphError unless every stage is declared and reachable from `start`, only terminal stages
    are dead ends, every target is a stage, and every step is known, used and has an event type."""
    stages, kinds, terminal = set(stages), set(kinds), set(terminal)
    if set(graph) != stages:
        raise StageGraphError(f"stages declared {sorted(graph)} differ from {sorted(stages)}")
    used: set[str] = set()
    for stage, steps in graph.items():
        if not steps and stage not in terminal:
            raise StageGraphError(f"stage {stage} allows no step but is not terminal")
        if steps and stage in terminal:
            raise StageGraphError(f"terminal stage {stage} allows steps")
        for kind, target in steps.items():
            if kind not in kinds:
                raise StageGraphError(f"unknown step {kind} in stage {stage}")
            if target not in stages:
                raise StageGraphError(f"step {kind} in stage {stage} leads to unknown stage {target}")
            used.add(kind)
    if used != kinds:
        raise StageGraphError(f"steps never allowed: {sorted(kinds - used)}")
    if set(event_types) != kinds:
        raise StageGraphError(f"steps without an event type: {sorted(kinds - set(event_types))}")
    reached, frontier = {start}, [start]
    while frontier:
        for target in graph[frontier.pop()].values():
            if target not in reached:
                reached.add(target)
                frontier.append(target)
    if reached != stages:
        raise StageGraphError(f"stages not reachable from {start}: {sorted(stages - reached)}")


check_graph(
    GRAPH,
    start=START,
    terminal=TERMINAL,
    stages=Stage.values,
    kinds=EventKind.values,
    event_types=EVENT_TYPES,
)
