"""Verifying the audit trail: recompute every event's keyed hash, follow the links, compare with checkpoints.

Each kind of tampering is reported with the event it was found at:
- EDITED: a stored field differs from what was signed (the keyed hash does not match the row);
- FORGED: the stored hash is one anyone can compute without the key (a forged, appended or re-hashed row);
- UNKNOWN_KEY: the row names an audit key that is not configured;
- BROKEN_LINK: the row's prev_hash is not the previous row's hash (a row before it was edited and re-hashed);
- MISSING: rows are missing before this one (ids skip and the link is broken: deleted rows);
- CHECKPOINT_MISMATCH: the event a checkpoint names has another hash now;
- COUNT_MISMATCH: there are not as many events up to a checkpoint's event as the checkpoint counted;
- TRUNCATED: the event a checkpoint names is gone, or the trail holds fewer events than it counted;
- BAD_CHECKPOINT: a checkpoint line whose signature does not verify.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol

from grassroots.core.scoping import unscoped

from . import chain, checkpoints
from .models import AuditEvent

EDITED = "edited"
FORGED = "forged"
UNKNOWN_KEY = "unknown-key"
BROKEN_LINK = "broken-link"
MISSING = "missing-events"
CHECKPOINT_MISMATCH = "checkpoint-mismatch"
COUNT_MISMATCH = "count-mismatch"
TRUNCATED = "truncated"
BAD_CHECKPOINT = "bad-checkpoint"

CHUNK = 5000
# Findings kept in full; beyond this only their number per kind is counted.
KEEP = 1000


@dataclass(frozen=True)
class Finding:
    kind: str
    event_id: int | None
    message: str


@dataclass
class Report:
    checked: int = 0
    last_id: int | None = None
    started_after: checkpoints.Checkpoint | None = None
    checkpoints_read: int = 0
    findings: list[Finding] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.counts

    def add(self, kind: str, event_id: int | None, message: str) -> None:
        self.counts[kind] += 1
        if len(self.findings) < KEEP:
            self.findings.append(Finding(kind, event_id, message))


def _check_row(report: Report, row: dict, prev_id: int | None, prev_hash: str) -> None:
    event_id = row["id"]
    if not chain.same(row["prev_hash"], prev_hash):
        if prev_id is None and row["prev_hash"] != chain.GENESIS:
            report.add(MISSING, event_id, f"event {event_id}: the events before it are missing")
        elif prev_id is not None and event_id != prev_id + 1:
            report.add(
                MISSING, event_id, f"event {event_id}: events {prev_id + 1}–{event_id - 1} are missing"
            )
        else:
            report.add(
                BROKEN_LINK,
                event_id,
                f"event {event_id}: its link (prev_hash) is not the hash of event {prev_id} before it",
            )
    try:
        expected = chain.event_hash(row)
    except chain.UnknownKey:
        report.add(UNKNOWN_KEY, event_id, f"event {event_id}: signed with unknown key {row['key_id']!r}")
        return
    if chain.same(expected, row["hash"]):
        return
    if row["hash"] in chain.unkeyed_hashes(row):
        report.add(
            FORGED, event_id, f"event {event_id}: its hash was made without the key (forged or re-hashed)"
        )
    else:
        report.add(
            EDITED, event_id, f"event {event_id}: a stored field differs from what was signed (edited)"
        )


def _start(report: Report, points: list[checkpoints.Checkpoint]) -> tuple[int | None, str, int]:
    """For --since-checkpoint: (id, hash, count) of the newest checkpoint whose event is still as signed."""
    with unscoped():
        events = AuditEvent.objects.unscoped_all()
        for point in reversed(points):
            if point.event_id is None:
                continue
            stored = events.filter(pk=point.event_id).values_list("hash", flat=True).first()
            if stored is None:
                continue  # reported as truncated by the caller's final check
            if not chain.same(stored, point.hash):
                report.add(
                    CHECKPOINT_MISMATCH,
                    point.event_id,
                    f"event {point.event_id}: its hash differs from checkpoint line {point.line} ({point.at})",
                )
                continue
            counted = events.filter(pk__lte=point.event_id).count()
            if counted != point.count:
                report.add(
                    COUNT_MISMATCH,
                    point.event_id,
                    f"event {point.event_id}: {counted} events up to it, checkpoint line {point.line} "
                    f"counted {point.count}",
                )
                continue
            report.started_after = point
            return point.event_id, point.hash, point.count
    return None, chain.GENESIS, 0


def verify(*, use_checkpoints: bool = True, since_checkpoint: bool = False) -> Report:
    """Walk the trail (from the start, or after the newest good checkpoint) and report every finding."""
    report = Report()
    points: list[checkpoints.Checkpoint] = []
    if use_checkpoints:
        reading = checkpoints.read()
        for number, why in reading.bad_lines:
            report.add(BAD_CHECKPOINT, None, f"checkpoint line {number}: {why}")
        points = reading.checkpoints
        report.checkpoints_read = len(points)
        if not reading.found_file:
            report.notes.append(
                f"no checkpoint file at {checkpoints.checkpoint_file()}: the head is not anchored"
            )
    prev_id, prev_hash, count = _start(report, points) if since_checkpoint else (None, chain.GENESIS, 0)
    by_event = {
        p.event_id: p for p in points if p.event_id is not None and (prev_id is None or p.event_id > prev_id)
    }
    seen: set[int] = set()
    with unscoped():
        rows = AuditEvent.objects.unscoped_all().order_by("id").values(*chain.FIELDS, "hash")
        if prev_id is not None:
            rows = rows.filter(pk__gt=prev_id)
        for row in rows.iterator(chunk_size=CHUNK):
            count += 1
            report.checked += 1
            _check_row(report, row, prev_id, prev_hash)
            point = by_event.get(row["id"])
            if point is not None:
                seen.add(point.event_id)
                if not chain.same(point.hash, row["hash"]):
                    report.add(
                        CHECKPOINT_MISMATCH,
                        row["id"],
                        f"event {row['id']}: its hash differs from checkpoint line {point.line} ({point.at})",
                    )
                if point.count != count:
                    report.add(
                        COUNT_MISMATCH,
                        row["id"],
                        f"event {row['id']}: {count} events up to it, checkpoint line {point.line} "
                        f"counted {point.count}",
                    )
            prev_id, prev_hash = row["id"], row["hash"]
    report.last_id = prev_id
    for point in points:
        if point.event_id is not None and point.event_id in by_event and point.event_id not in seen:
            report.add(
                TRUNCATED,
                point.event_id,
                f"event {point.event_id} named by checkpoint line {point.line} ({point.at}, {point.count} events) "
                f"is missing; the trail ends at event {prev_id} with {count} events",
            )
    return report


# ---------------------------------------------------------------------------------------------------------
# Verifiers of records sealed by higher apps (meetings: finalized minutes). Audit is a lower layer and imports
# none of them: each app registers a function in its registrations.py, and `audit_verify` runs them all.


class RecordFinding(Protocol):
    """What a registered verifier reports: a kind (a short word) and a message naming the record."""

    kind: str
    message: str


# A verifier takes an org code (None: every org; else that org's subtree) and returns its findings. It raises
# LookupError for an unknown org code.
Verifier = Callable[[str | None], Iterable[RecordFinding]]
_VERIFIERS: dict[str, Verifier] = {}


def register_verifier(name: str, fn: Verifier) -> None:
    """Add (or replace) the verifier `name`, run by `audit_verify` after the audit chain."""
    _VERIFIERS[name] = fn


def verifiers() -> dict[str, Verifier]:
    """The registered verifiers by name, in registration order."""
    return dict(_VERIFIERS)


def run_verifiers(org_code: str | None = None) -> list[tuple[str, RecordFinding]]:
    """Every registered verifier's findings, as (verifier name, finding)."""
    out: list[tuple[str, RecordFinding]] = []
    for name, fn in _VERIFIERS.items():
        out.extend((name, finding) for finding in fn(org_code))
    return out
