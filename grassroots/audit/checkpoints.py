"""Signed checkpoints of the head of the audit trail, kept outside the database.

A checkpoint names the last event (id and hash), how many events the trail held, when, and the audit key it is
signed with (HMAC-SHA256, `chain.sign`). The checkpoints are JSON lines appended to
`<GRASSROOTS_AUDIT_CHECKPOINT_DIR or DATA_DIR/audit-checkpoints>/checkpoints.jsonl`, beside the backups, and
can be printed for paper (`grassroots audit_checkpoint --print`). Someone who deletes the last events of the
trail, or rewrites it, cannot rewrite the checkpoints without the key: `audit_verify` compares the two.

A line of kind "restart" (written when the demo seed wipes the whole trail) supersedes the lines before it.
"""

from __future__ import annotations

import html
import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from grassroots.core.scoping import unscoped

from . import chain
from .models import AuditEvent

FILENAME = "checkpoints.jsonl"
CHECKPOINT = "checkpoint"
RESTART = "restart"

log = logging.getLogger(__name__)


def checkpoint_dir() -> Path:
    configured = settings.GRASSROOTS_AUDIT_CHECKPOINT_DIR
    return Path(configured) if configured else Path(settings.DATA_DIR) / "audit-checkpoints"


def checkpoint_file() -> Path:
    return checkpoint_dir() / FILENAME


@dataclass(frozen=True)
class Checkpoint:
    line: int
    kind: str
    event_id: int | None
    hash: str
    count: int
    at: str
    key_id: str
    note: str
    signature: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "event_id": self.event_id,
            "hash": self.hash,
            "count": self.count,
            "at": self.at,
            "key_id": self.key_id,
            "note": self.note,
        }


@dataclass
class Reading:
    """The checkpoints in force (after the last restart) and the lines that failed to verify."""

    checkpoints: list[Checkpoint] = field(default_factory=list)
    bad_lines: list[tuple[int, str]] = field(default_factory=list)
    found_file: bool = False


def head() -> dict[str, Any]:
    """The trail's last event and its count, read under the chain's lock so both describe the same trail."""
    with transaction.atomic():
        chain.lock()
        with unscoped():
            events = AuditEvent.objects.unscoped_all()
            last = events.order_by("-id").values_list("id", "hash").first()
            count = events.count()
    event_id, hash_ = last or (None, chain.GENESIS)
    return {"event_id": event_id, "hash": hash_, "count": count}


def _append(kind: str, note: str) -> dict[str, Any]:
    entry = {
        "kind": kind,
        **head(),
        "at": timezone.now().isoformat(timespec="seconds"),
        "key_id": chain.current_key_id(),
        "note": note,
    }
    entry["signature"] = chain.sign(entry, entry["key_id"])
    path = checkpoint_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as out:
        out.write(json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n")
        out.flush()
        os.fsync(out.fileno())
    return entry


def checkpoint_write(*, note: str = "", restart: bool = False) -> dict[str, Any]:
    """Append a signed checkpoint of the trail's head to the checkpoint file; returns it. With `restart`, it
    supersedes the checkpoints before it (after a restore to an earlier point, once the loss is accounted for)."""
    return _append(RESTART if restart else CHECKPOINT, note)


def checkpoint_write_quietly() -> None:
    """`checkpoint_write` after a commit (every GRASSROOTS_AUDIT_CHECKPOINT_EVERY events): a file that cannot be
    written is logged, and the nightly checkpoint tries again; the committed write stands."""
    try:
        checkpoint_write(note=f"every {settings.GRASSROOTS_AUDIT_CHECKPOINT_EVERY} events")
    except OSError:
        log.exception("audit checkpoint not written")


def checkpoint_restart(*, note: str) -> dict[str, Any] | None:
    """After the whole trail was wiped on purpose (the demo seed's --replace): a signed restart line that
    supersedes the checkpoints before it, anchoring the new head. Nothing when no checkpoint file exists."""
    if not checkpoint_file().exists():
        return None
    return _append(RESTART, note)


def read() -> Reading:
    """The checkpoints in force: every line after the last restart line with a valid signature; lines that are
    not JSON, name an unknown key or carry a wrong signature are listed as bad (by line number)."""
    reading = Reading()
    path = checkpoint_file()
    if not path.exists():
        return reading
    reading.found_file = True
    with open(path, encoding="utf-8") as lines:
        for number, text in enumerate(lines, start=1):
            if not text.strip():
                continue
            try:
                raw = json.loads(text)
                point = Checkpoint(
                    line=number,
                    kind=str(raw["kind"]),
                    event_id=None if raw["event_id"] is None else int(raw["event_id"]),
                    hash=str(raw["hash"]),
                    count=int(raw["count"]),
                    at=str(raw["at"]),
                    key_id=str(raw["key_id"]),
                    note=str(raw.get("note", "")),
                    signature=str(raw["signature"]),
                )
            except (ValueError, KeyError, TypeError):
                reading.bad_lines.append((number, "not a checkpoint line"))
                continue
            try:
                expected = chain.sign(point.as_dict(), point.key_id)
            except chain.UnknownKey:
                reading.bad_lines.append((number, f"unknown key {point.key_id}"))
                continue
            if not chain.same(expected, point.signature):
                reading.bad_lines.append((number, "bad signature"))
                continue
            if point.kind == RESTART:
                reading.checkpoints = []
            reading.checkpoints.append(point)
    return reading


def _blocks(value: str) -> str:
    return " ".join(value[i : i + 8] for i in range(0, len(value), 8))


def printable(points: list[Checkpoint], *, as_html: bool = False) -> str:
    """The checkpoints as text (or an HTML page) for paper: compare by eye with a later `--print`."""
    rows = [
        (
            p.at,
            "-" if p.event_id is None else str(p.event_id),
            str(p.count),
            p.key_id,
            _blocks(p.hash),
            _blocks(p.signature),
            (p.kind if p.kind != CHECKPOINT else "") + (f" {p.note}" if p.note else ""),
        )
        for p in points
    ]
    heading = ("time", "event", "count", "key", "hash of the event", "signature", "note")
    if not as_html:
        out = []
        for row in rows:
            out.extend(f"{name:>9}: {value}" for name, value in zip(heading, row, strict=True))
            out.append("")
        return "\n".join(out)
    cells = "".join(
        "<tr>" + "".join(f"<td>{html.escape(value)}</td>" for value in row) + "</tr>\n" for row in rows
    )
    head_row = "".join(f"<th>{html.escape(name)}</th>" for name in heading)
    return (
        '<!doctype html>\n<html lang="en"><meta charset="utf-8"><title>Audit checkpoints</title>\n'
        "<style>body{font-family:monospace}td,th{border:1px solid #000;padding:4px;vertical-align:top}"
        "table{border-collapse:collapse}</style>\n"
        f"<h1>Audit checkpoints</h1>\n<table><tr>{head_row}</tr>\n{cells}</table>\n</html>\n"
    )
