"""The stored MEM-* warnings (`MemberWarningState`): recompute the rows of some members and write what differs.

No permission checks and no audit here: the callers are the member services (inside their transaction, for
the member they changed), the refresh service and the check (after checking the caller's scope), the seed and
`migrate`. A batch is two reads (the members' facts, their letters still out) and one of the stored rows,
and at most three writes, however many members it holds. The rows carry the day each warning holds from, so
time alone changes nothing stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from grassroots.core.scoping import subtree_q, unscoped

from . import rules
from .choices import TransferStatus
from .models import Member, MemberWarningState, Transfer

BATCH = 2000
_FACTS = (
    "pk",
    "org_id",
    "status",
    "is_lost_contact",
    "lost_contact_since",
    "ended_on",
    "is_mobile",
    "mobile_since",
    "mobile_to",
)
# The records that may call for a warning; any other has none.
CANDIDATES = Q(is_lost_contact=True) | Q(is_mobile=True)


def _wanted(member_ids: list[int]) -> dict[int, tuple[int, dict[str, tuple[dt.date, dict]]]]:
    """member id → (its org, rule id → (holds_from, stored message)) for the members asked about."""
    with unscoped():
        rows = list(Member.objects.unscoped_all().filter(pk__in=member_ids).values_list(*_FACTS))
        pending = set(
            Transfer.objects.unscoped_all()
            .filter(member_id__in=member_ids, status=TransferStatus.ISSUED)
            .values_list("member_id", flat=True)
        )
    out = {}
    for pk, org_id, status, lost, lost_since, ended_on, mobile, mobile_since, mobile_to in rows:
        facts = rules.MemberWarningFacts(
            status=status,
            is_lost_contact=lost,
            lost_contact_since=lost_since,
            suspended_on=ended_on if status == "suspended" else None,
            is_mobile=mobile,
            mobile_since=mobile_since,
            mobile_to=mobile_to,
            transfer_pending=pk in pending,
        )
        out[pk] = (
            org_id,
            {
                w.rule_id: (w.holds_from, {"msgid": w.msgid, "values": w.values})
                for w in rules.member_warnings(facts)
            },
        )
    return out


@dataclass
class Synced:
    """What a sync did: members checked, and (member, rule) rows inserted, changed and deleted."""

    checked: int = 0
    inserted: int = 0
    changed: int = 0
    deleted: int = 0
    # (member id, rule id, "missing" | "stray" | "stale") of every difference found
    differences: list[tuple[int, str, str]] | None = None

    def add(self, other: Synced) -> None:
        self.checked += other.checked
        self.inserted += other.inserted
        self.changed += other.changed
        self.deleted += other.deleted
        if other.differences:
            self.differences = (self.differences or []) + other.differences


def sync(member_ids: Iterable[int], *, on: dt.date, write: bool = True) -> Synced:
    """Bring the stored warnings of these members in line with their records (with `write=False`, only
    report the differences)."""
    ids = sorted(set(member_ids))
    if not ids:
        return Synced()
    wanted = _wanted(ids)
    with unscoped():
        stored = list(
            MemberWarningState.objects.unscoped_all()
            .filter(member_id__in=ids)
            .values_list("pk", "member_id", "org_id", "rule_id", "holds_from", "messages")
        )
    delete, change, differences = [], [], []
    seen = set()
    for pk, member_id, org_id, rule_id, holds_from, messages in stored:
        want_org, by_rule = wanted.get(member_id, (None, {}))
        want = by_rule.get(rule_id)
        seen.add((member_id, rule_id))
        if want is None:
            delete.append(pk)
            differences.append((member_id, rule_id, "stray"))
        elif (want_org, want[0], want[1]) != (org_id, holds_from, messages):
            change.append(
                MemberWarningState(
                    pk=pk, org_id=want_org, holds_from=want[0], messages=want[1], computed_on=on
                )
            )
            differences.append((member_id, rule_id, "stale"))
    insert = []
    for member_id, (org_id, by_rule) in wanted.items():
        for rule_id, (holds_from, messages) in by_rule.items():
            if (member_id, rule_id) not in seen:
                insert.append(
                    MemberWarningState(
                        member_id=member_id,
                        org_id=org_id,
                        rule_id=rule_id,
                        holds_from=holds_from,
                        messages=messages,
                        computed_on=on,
                    )
                )
                differences.append((member_id, rule_id, "missing"))
    if write:
        with unscoped():
            manager = MemberWarningState.objects
            if delete:
                manager.unscoped_all().filter(pk__in=delete).delete()
            if change:
                manager.bulk_update(
                    change, ["org_id", "holds_from", "messages", "computed_on"], batch_size=500
                )
            if insert:
                manager.bulk_create(insert, batch_size=500)
    return Synced(
        checked=len(ids),
        inserted=len(insert),
        changed=len(change),
        deleted=len(delete),
        differences=differences,
    )


def candidate_ids(prefix: str | None) -> list[int]:
    """The members of the subtree at `prefix` (all for None) whose record may call for a warning or that have
    a stored one, in id order: what a refresh or a check has to look at."""
    with unscoped():
        members = Member.objects.unscoped_all().filter(CANDIDATES)
        rows = MemberWarningState.objects.unscoped_all()
        if prefix is not None:
            members = members.filter(subtree_q("org__path", prefix))
            rows = rows.filter(subtree_q("org__path", prefix))
        ids = set(members.values_list("pk", flat=True)) | set(rows.values_list("member_id", flat=True))
    return sorted(ids)


def sync_subtree(prefix: str | None, *, on: dt.date, write: bool = True, batch_size: int = BATCH) -> Synced:
    """`sync` over the subtree at `prefix` (everything for None) in batches, each in its own transaction.
    Idempotent: a second run writes nothing."""
    from django.db import transaction

    done = Synced()
    ids = candidate_ids(prefix)
    for start in range(0, len(ids), batch_size):
        with transaction.atomic():
            done.add(sync(ids[start : start + batch_size], on=on, write=write))
    return done
