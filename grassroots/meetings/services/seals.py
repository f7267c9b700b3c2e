"""Seals (存证) of finalized minutes and their amendments, and their verification.

When minutes are finalized, each frozen part of the record — the text, the attendance rows, the votes, the
appraisal grades and the record's own facts (held date, 补记 mark, finalization time) — is serialized
canonically (`rules.canonical_parts` for text, attendance and votes; the same JSON form here for the others)
and its keyed digest (HMAC-SHA256 under the audit key, `audit.chain.digest`) stored in a `MeetingSeal`. An
amendment gets a seal of its own (its text, reason, author and time). Seals are chained per org: `seq` counts
from 1 and `prev_hash` is the previous seal's `hash`, itself the keyed hash of the seal's fields
(`audit.chain.sign`). The key id is stored with each seal, so a rotated key keeps older seals verifiable.

`seals_verify(org)` recomputes every part from the stored rows and every link and hash of the chains, and
names each meeting whose stored text, attendance, votes or grades no longer match — a change made with SQL
included; a hash recomputed without the key (plain SHA-256) is named as forged. `meeting_seal_findings` does the
same for one meeting (without the chain), cheaply, for its minutes page.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from grassroots.audit import chain
from grassroots.core.scoping import unscoped
from grassroots.orgs.models import Org

from .. import rules
from ..choices import MinutesState, SealKind
from ..models import AppraisalRecord, Attendance, Meeting, MeetingSeal, Minutes, MinutesAmendment, Vote

FORMAT_VERSION = 1
# The stored columns each frozen part covers. Accounts that recorded a row are left out: they are kept with
# SET_NULL (an account removed later must not break the seal); the amendment keeps its author's label.
ATTENDANCE_FIELDS = (
    "member_id",
    "expected",
    "voting",
    "status",
    "reason",
    "method",
    "signed_at",
    "leave_requested_at",
    "leave_reason",
    "recorded_at",
)
VOTE_FIELDS = (
    "sequence",
    "subject",
    "motion",
    "member_id",
    "reference",
    "should_attend",
    "present",
    "yes",
    "no",
    "abstain",
    "quorum_met",
    "passed",
    "rule_id",
    "recorded_at",
)
APPRAISAL_FIELDS = ("member_id", "grade", "handling", "note", "recorded_at")
AMENDMENT_FIELDS = ("id", "minutes__meeting_id", "text", "reason", "author_label", "created_at")
# The parts of a minutes seal, in the order findings name them.
MINUTES_PARTS = ("text", "attendance", "votes", "appraisal", "record")
SEAL_FIELDS = (
    "id",
    "org_id",
    "seq",
    "kind",
    "meeting_id",
    "amendment_id",
    "parts",
    "prev_hash",
    "hash",
    "key_id",
    "sealed_at",
)
CHUNK = 500

# Finding kinds.
CHANGED = "changed"  # a part recomputed from the stored rows differs from its sealed digest
FORGED = "forged"  # a digest or hash someone computed without the key
EDITED = "edited"  # the seal's own fields differ from its hash
UNKNOWN_KEY = "unknown-key"
BROKEN_LINK = (
    "broken-link"  # prev_hash is not the previous seal's hash (a seal removed, inserted or reordered)
)
SEQUENCE = "sequence"  # seq does not follow the previous seal's (missing or extra seals)
UNSEALED = "unsealed"  # finalized minutes (or an amendment) without a seal
EXTRA = "extra-seal"  # a second minutes seal for one meeting
REOPENED = "reopened"  # a sealed meeting whose minutes are no longer final


@dataclass(frozen=True)
class Finding:
    """One thing a seal check found, naming the meeting (id, org code, date, topic) and the part."""

    kind: str
    meeting_id: int | None
    org_code: str
    on: dt.date | None
    topic: str
    part: str
    detail: str

    @property
    def message(self) -> str:
        day = self.on.isoformat() if self.on else "?"
        return f"meeting {self.meeting_id} ({self.org_code} {day} «{self.topic}»): {self.part}: {self.detail}"


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _part(name: str, value: Any) -> bytes:
    return _dumps({"part": name, "v": FORMAT_VERSION, "value": value}).encode("utf-8")


def _rows(rows: Iterable[dict], fields: tuple[str, ...]) -> list[dict]:
    return [{name: _plain(row[name]) for name in fields} for row in rows]


def minutes_parts(
    *,
    text: str,
    held_on: dt.date | None,
    is_late_entry: bool,
    finalized_at: dt.datetime | None,
    attendance: Iterable[dict],
    votes: Iterable[dict],
    appraisal: Iterable[dict],
) -> dict[str, bytes]:
    """The canonical bytes of each frozen part of a finalized record (rows as read with `*_FIELDS`)."""
    parts = rules.canonical_parts(text, _rows(attendance, ATTENDANCE_FIELDS), _rows(votes, VOTE_FIELDS))
    parts["appraisal"] = _part("appraisal", sorted(_rows(appraisal, APPRAISAL_FIELDS), key=_dumps))
    parts["record"] = _part(
        "record",
        {"held_on": _plain(held_on), "is_late_entry": is_late_entry, "finalized_at": _plain(finalized_at)},
    )
    return parts


def amendment_parts(row: dict) -> dict[str, bytes]:
    return {"amendment": _part("amendment", {name: _plain(row[name]) for name in AMENDMENT_FIELDS})}


def current_minutes_parts(meeting_ids: Iterable[int]) -> dict[int, dict[str, bytes]]:
    """The parts of each meeting's record as the database holds them now (four queries per chunk)."""
    ids = list(meeting_ids)
    out: dict[int, dict[str, bytes]] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        with unscoped():
            minutes = {
                row["meeting_id"]: row
                for row in Minutes.objects.unscoped_all()
                .filter(meeting_id__in=chunk)
                .values("meeting_id", "text", "is_late_entry", "finalized_at", "meeting__held_on")
            }
            grouped: dict[str, dict[int, list[dict]]] = {}
            for name, model, fields in (
                ("attendance", Attendance, ATTENDANCE_FIELDS),
                ("votes", Vote, VOTE_FIELDS),
                ("appraisal", AppraisalRecord, APPRAISAL_FIELDS),
            ):
                rows: dict[int, list[dict]] = defaultdict(list)
                for row in (
                    model.objects.unscoped_all().filter(meeting_id__in=chunk).values("meeting_id", *fields)
                ):
                    rows[row["meeting_id"]].append(row)
                grouped[name] = rows
        for meeting_id in chunk:
            head = minutes.get(meeting_id)
            if head is None:
                continue
            out[meeting_id] = minutes_parts(
                text=head["text"],
                held_on=head["meeting__held_on"],
                is_late_entry=head["is_late_entry"],
                finalized_at=head["finalized_at"],
                attendance=grouped["attendance"][meeting_id],
                votes=grouped["votes"][meeting_id],
                appraisal=grouped["appraisal"][meeting_id],
            )
    return out


def current_amendment_parts(amendment_ids: Iterable[int]) -> dict[int, dict[str, bytes]]:
    ids = list(amendment_ids)
    out: dict[int, dict[str, bytes]] = {}
    for start in range(0, len(ids), CHUNK):
        with unscoped():
            for row in (
                MinutesAmendment.objects.unscoped_all()
                .filter(pk__in=ids[start : start + CHUNK])
                .values(*AMENDMENT_FIELDS)
            ):
                out[row["id"]] = amendment_parts(row)
    return out


def _seal_body(row: dict) -> dict[str, Any]:
    """The seal's own fields as its hash covers them (`hash` aside)."""
    return {
        "org": row["org_id"],
        "seq": row["seq"],
        "kind": row["kind"],
        "meeting": row["meeting_id"],
        "amendment": row["amendment_id"],
        "parts": row["parts"],
        "prev_hash": row["prev_hash"],
        "key_id": row["key_id"],
        "sealed_at": _plain(row["sealed_at"]),
    }


def seal_hash(row: dict) -> str:
    return chain.sign(_seal_body(row), row["key_id"])


def _lock_chain(org_id: int) -> None:
    """Serialize appends to one org's seal chain: the org row FOR UPDATE on PostgreSQL (SQLite serializes
    writers already, and Django leaves FOR UPDATE out there). The unique (org, seq) constraint backs it."""
    with unscoped():
        list(Org.objects.unscoped_all().select_for_update().filter(pk=org_id).values_list("pk", flat=True))


def seal_append(
    *, meeting: Meeting, kind: str, parts: dict[str, bytes], amendment: MinutesAmendment | None = None
) -> MeetingSeal:
    """Append a seal to the chain of the meeting's org (inside the caller's transaction)."""
    _lock_chain(meeting.org_id)
    with unscoped():
        head = (
            MeetingSeal.objects.unscoped_all()
            .filter(org_id=meeting.org_id)
            .order_by("-seq")
            .values_list("seq", "hash")
            .first()
        )
    seq, prev = (head[0] + 1, head[1]) if head else (1, chain.GENESIS)
    key_id = chain.current_key_id()
    seal = MeetingSeal(
        org_id=meeting.org_id,
        seq=seq,
        kind=kind,
        meeting=meeting,
        amendment=amendment,
        parts={name: chain.digest(body, key_id) for name, body in parts.items()},
        prev_hash=prev,
        key_id=key_id,
        sealed_at=timezone.now(),
    )
    seal.hash = seal_hash({name: getattr(seal, name) for name in SEAL_FIELDS if name not in ("id", "hash")})
    with unscoped():
        seal.save()
    return seal


def seal_minutes(meeting: Meeting) -> MeetingSeal:
    """Seal a meeting's finalized record, its parts read back from the database (as the verifier reads them)."""
    return seal_append(
        meeting=meeting, kind=SealKind.MINUTES, parts=current_minutes_parts([meeting.pk])[meeting.pk]
    )


def seal_amendment(meeting: Meeting, amendment: MinutesAmendment) -> MeetingSeal:
    parts = current_amendment_parts([amendment.pk])[amendment.pk]
    return seal_append(meeting=meeting, kind=SealKind.AMENDMENT, parts=parts, amendment=amendment)


def seals_fill(copy_rows) -> int:
    """Seal every finalized record and amendment that has no seal yet, chained per org in the order they were
    made final (a record at its finalization, an amendment at its creation): for bulk loads such as the demo
    seed, whose rows arrive without the finalize service. Parts are read back from the database exactly as the
    verifier reads them; the seals are loaded with `copy_rows(table, columns, rows)`. Returns how many."""
    with unscoped():
        sealed_meetings = set(
            MeetingSeal.objects.unscoped_all()
            .filter(kind=SealKind.MINUTES)
            .values_list("meeting_id", flat=True)
        )
        sealed_amendments = set(
            MeetingSeal.objects.unscoped_all().exclude(amendment=None).values_list("amendment_id", flat=True)
        )
        heads = {}
        for org_id, seq, hash_ in (
            MeetingSeal.objects.unscoped_all().order_by("org_id", "seq").values_list("org_id", "seq", "hash")
        ):
            heads[org_id] = (seq, hash_)
        last_id = MeetingSeal.objects.unscoped_all().order_by("-id").values_list("id", flat=True).first() or 0
        todo = [
            (org_id, at, 0, meeting_id, None)
            for meeting_id, org_id, at in Minutes.objects.unscoped_all()
            .exclude(state=MinutesState.DRAFT)
            .values_list("meeting_id", "meeting__org_id", "finalized_at")
            if meeting_id not in sealed_meetings
        ]
        todo += [
            (org_id, at, 1, meeting_id, pk)
            for pk, meeting_id, org_id, at in MinutesAmendment.objects.unscoped_all().values_list(
                "pk", "minutes__meeting_id", "minutes__meeting__org_id", "created_at"
            )
            if pk not in sealed_amendments
        ]
    todo.sort(key=lambda t: (t[0], t[1], t[2], t[3], t[4] or 0))
    key_id = chain.current_key_id()

    def rows():
        nonlocal last_id
        for start in range(0, len(todo), CHUNK):
            chunk = todo[start : start + CHUNK]
            minutes = current_minutes_parts([t[3] for t in chunk if t[4] is None])
            amendments = current_amendment_parts([t[4] for t in chunk if t[4] is not None])
            for org_id, at, _order, meeting_id, amendment_id in chunk:
                seq, prev = heads.get(org_id, (0, chain.GENESIS))
                parts = minutes[meeting_id] if amendment_id is None else amendments[amendment_id]
                last_id += 1
                row = {
                    "id": last_id,
                    "org_id": org_id,
                    "seq": seq + 1,
                    "kind": SealKind.MINUTES if amendment_id is None else SealKind.AMENDMENT,
                    "meeting_id": meeting_id,
                    "amendment_id": amendment_id,
                    "parts": {name: chain.digest(body, key_id) for name, body in parts.items()},
                    "prev_hash": prev,
                    "key_id": key_id,
                    "sealed_at": at,
                }
                row["hash"] = seal_hash(row)
                heads[org_id] = (seq + 1, row["hash"])
                yield tuple(
                    json.dumps(row[name], ensure_ascii=False) if name == "parts" else row[name]
                    for name in SEAL_FIELDS
                )

    # The parts are read while the rows are made: collect them first (COPY holds the connection).
    made = list(rows())
    return copy_rows(MeetingSeal._meta.db_table, SEAL_FIELDS, made)


# ---------------------------------------------------------------------------------------------------------
# Verification

_PART_DETAIL = {
    "text": "the stored text of the minutes no longer matches its seal",
    "attendance": "the stored attendance no longer matches its seal",
    "votes": "the stored votes no longer match their seal",
    "appraisal": "the stored appraisal grades no longer match their seal",
    "record": "the held date, late-entry mark or finalization time no longer matches its seal",
    "amendment": "the stored amendment no longer matches its seal",
}


def _check_parts(row: dict, current: dict[str, bytes] | None, raw: list) -> None:
    """Compare each sealed part digest with the part recomputed from the stored rows."""
    try:
        chain.key_for(row["key_id"])
    except chain.UnknownKey:
        return  # reported once, by the hash check
    part_of = f"amendment {row['amendment_id']}" if row["kind"] == SealKind.AMENDMENT else None
    if current is None:
        raw.append((CHANGED, row["meeting_id"], part_of or "minutes", "the sealed record is gone"))
        return
    stored = row["parts"] or {}
    for name in sorted(set(stored) | set(current), key=lambda n: (n not in _PART_DETAIL, n)):
        body, digest = current.get(name), stored.get(name)
        if body is not None and digest is not None and chain.same(chain.digest(body, row["key_id"]), digest):
            continue
        label = part_of or name
        if body is not None and digest == hashlib.sha256(body).hexdigest():
            raw.append((FORGED, row["meeting_id"], label, "its sealed digest was made without the key"))
        else:
            raw.append(
                (CHANGED, row["meeting_id"], label, _PART_DETAIL.get(name, "no longer matches its seal"))
            )


def _check_hash(row: dict, raw: list) -> None:
    try:
        expected = seal_hash(row)
    except chain.UnknownKey:
        raw.append((UNKNOWN_KEY, row["meeting_id"], "seal", f"sealed with unknown key {row['key_id']!r}"))
        return
    if chain.same(expected, row["hash"]):
        return
    if chain.same(row["hash"], chain.sign_unkeyed(_seal_body(row))):
        raw.append(
            (FORGED, row["meeting_id"], "seal", f"seal #{row['seq']}: its hash was made without the key")
        )
    else:
        raw.append(
            (EDITED, row["meeting_id"], "seal", f"seal #{row['seq']}: its fields differ from its hash")
        )


def _check_chain(rows: list[dict], raw: list) -> None:
    """One org's seals in seq order: consecutive from 1, each linked to the one before."""
    expected_seq, prev = 1, chain.GENESIS
    for row in rows:
        if row["seq"] != expected_seq:
            what = (
                f"seal #{row['seq']} follows #{expected_seq - 1}: seals are missing"
                if row["seq"] > expected_seq
                else f"seal #{row['seq']} repeats or reorders the chain"
            )
            raw.append((SEQUENCE, row["meeting_id"], "chain", what))
        if not chain.same(row["prev_hash"], prev):
            raw.append(
                (
                    BROKEN_LINK,
                    row["meeting_id"],
                    "chain",
                    f"seal #{row['seq']}: its link is not the hash of the seal before it",
                )
            )
        expected_seq, prev = row["seq"] + 1, row["hash"]


def _named(raw: list) -> list[Finding]:
    """Findings with each meeting's org code, date and topic (one query)."""
    ids = {meeting_id for _, meeting_id, _, _ in raw if meeting_id is not None}
    with unscoped():
        labels = {
            row["id"]: row
            for row in Meeting.objects.unscoped_all()
            .filter(pk__in=ids)
            .values("id", "org__code", "held_on", "planned_on", "topic")
        }
    out = []
    for kind, meeting_id, part, detail in raw:
        label = labels.get(meeting_id, {})
        out.append(
            Finding(
                kind=kind,
                meeting_id=meeting_id,
                org_code=label.get("org__code", "?"),
                on=label.get("held_on") or label.get("planned_on"),
                topic=label.get("topic", ""),
                part=part,
                detail=detail,
            )
        )
    return out


def _check_seals(rows: list[dict], final_meetings: set[int], amendment_ids: set[int], raw: list) -> None:
    """Hashes, parts, duplicates and what is final without a seal, over the given seals."""
    minutes_rows = [r for r in rows if r["kind"] == SealKind.MINUTES]
    amendment_rows = [r for r in rows if r["kind"] == SealKind.AMENDMENT]
    for row in rows:
        _check_hash(row, raw)
    current = current_minutes_parts({r["meeting_id"] for r in minutes_rows})
    seen: set[int] = set()
    for row in minutes_rows:
        if row["meeting_id"] in seen:
            raw.append(
                (EXTRA, row["meeting_id"], "seal", f"seal #{row['seq']} seals these minutes a second time")
            )
        seen.add(row["meeting_id"])
        _check_parts(row, current.get(row["meeting_id"]), raw)
    amended = current_amendment_parts(r["amendment_id"] for r in amendment_rows if r["amendment_id"])
    sealed_amendments = set()
    for row in amendment_rows:
        sealed_amendments.add(row["amendment_id"])
        _check_parts(row, amended.get(row["amendment_id"]), raw)
    for meeting_id in sorted(final_meetings - seen):
        raw.append((UNSEALED, meeting_id, "minutes", "the minutes are final but carry no seal"))
    for meeting_id in sorted(seen - final_meetings):
        raw.append((REOPENED, meeting_id, "minutes", "the minutes were sealed but are no longer final"))
    for amendment_id in sorted(amendment_ids - sealed_amendments):
        with unscoped():
            meeting_id = (
                MinutesAmendment.objects.unscoped_all()
                .filter(pk=amendment_id)
                .values_list("minutes__meeting_id", flat=True)
                .first()
            )
        raw.append((UNSEALED, meeting_id, f"amendment {amendment_id}", "the amendment carries no seal"))


def seals_verify(org: Org | None = None) -> list[Finding]:
    """Every seal of `org`'s subtree (of every org without one): the chains, the hashes, and each sealed part
    recomputed from the stored rows; finalized minutes and amendments without a seal. Empty: all intact."""
    with unscoped():
        seals = MeetingSeal.objects.unscoped_all()
        finals = Minutes.objects.unscoped_all().exclude(state=MinutesState.DRAFT)
        amendments = MinutesAmendment.objects.unscoped_all()
        if org is not None:
            seals = seals.filter(org__path__startswith=org.path)
            finals = finals.filter(meeting__org__path__startswith=org.path)
            amendments = amendments.filter(minutes__meeting__org__path__startswith=org.path)
        rows = list(seals.order_by("org_id", "seq").values(*SEAL_FIELDS))
        final_meetings = set(finals.values_list("meeting_id", flat=True))
        amendment_ids = set(amendments.values_list("id", flat=True))
    raw: list = []
    by_org: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        by_org[row["org_id"]].append(row)
    for org_rows in by_org.values():
        _check_chain(org_rows, raw)
    _check_seals(rows, final_meetings, amendment_ids, raw)
    return _named(raw)


def meeting_seal_findings(meeting: Meeting) -> list[Finding]:
    """The seal check of one meeting (its minutes and amendment seals, without the org's chain): what its
    minutes page marks as 记录与存证不符. A draft meeting without seals costs one query."""
    with unscoped():
        rows = list(
            MeetingSeal.objects.unscoped_all().filter(meeting=meeting).order_by("seq").values(*SEAL_FIELDS)
        )
        state = Minutes.objects.unscoped_all().filter(meeting=meeting).values_list("state", flat=True).first()
        if not rows and state in (None, MinutesState.DRAFT):
            return []
        amendment_ids = set(
            MinutesAmendment.objects.unscoped_all()
            .filter(minutes__meeting=meeting)
            .values_list("id", flat=True)
        )
    final = {meeting.pk} if state not in (None, MinutesState.DRAFT) else set()
    raw: list = []
    _check_seals(rows, final, amendment_ids, raw)
    return _named(raw)
