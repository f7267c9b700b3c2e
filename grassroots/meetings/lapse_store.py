"""The stored lapse state (`MemberLapseState`, core.derived "lapse"): each member's lapse watch at the warn or
lapse level, computed by the live watch's own judging (`lapse.judge_members`) and written where it differs.

No permission checks and no audit here: the callers are the services (after the transaction that finalized
minutes or recorded an excusal commits, for the members it concerns), the refresh service and the check
(after checking the caller's scope), the seed and `migrate`. A batch of members is the policies, the grouped
attendance, the excusal ranges (when somebody qualifies) and the stored rows — four reads — and at most three
writes, however many members it holds.

The streak depends on the day (a month rolls over, a policy comes into force, an excusal starts covering a
month): the nightly refresh (`derived_refresh lapse`) recomputes everything and writes the rows that differ.
A member's status or org change is not hooked (the member services know nothing of meetings): the readers
skip members no longer active and follow the member's current org, and the nightly refresh rewrites the rest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Max, Min, Q, Window

from grassroots.core.scoping import subtree_q, unscoped
from grassroots.members.choices import ACTIVE_STATUSES
from grassroots.members.models import Member

from . import lapse, rules
from .models import Attendance, MemberLapseState

BATCH = 5000
# What a row holds besides its member and as_of: a difference in any of them is a stale row.
FIELDS = ("org_id", "streak", "since", "level", "source", "warn_months", "lapse_months")


@dataclass
class Synced:
    """What a sync did: members checked, rows inserted, changed and deleted, and every difference found as
    (member id, "missing" | "stray" | "stale")."""

    checked: int = 0
    inserted: int = 0
    changed: int = 0
    deleted: int = 0
    differences: list[tuple[int, str]] = field(default_factory=list)

    def add(self, other: Synced) -> None:
        self.checked += other.checked
        self.inserted += other.inserted
        self.changed += other.changed
        self.deleted += other.deleted
        self.differences += other.differences


def _values(row: lapse.LapseRow) -> tuple:
    return (
        row.person.org_id,
        row.streak,
        row.since,
        row.level,
        row.source,
        row.warn_months,
        row.lapse_months,
    )


def _computed(member_where: Q, policies, today: dt.date) -> dict[int, tuple]:
    """member id → the values of its row, for the members `member_where` selects that are at warn or lapse."""
    rows, _first = lapse.judge_members(member_where, policies, today, level=rules.LEVEL_WARN)
    return {r.member_id: _values(r) for r in rows}


def _row(member_id: int, values: tuple, today: dt.date, pk: int | None = None) -> MemberLapseState:
    return MemberLapseState(pk=pk, member_id=member_id, as_of=today, **dict(zip(FIELDS, values, strict=True)))


def _sync_batch(ids: list[int], policies, today: dt.date, write: bool) -> Synced:
    wanted = _computed(Q(member_id__in=ids), policies, today)
    with unscoped():
        stored = list(
            MemberLapseState.objects.unscoped_all()
            .filter(member_id__in=ids)
            .values_list("pk", "member_id", *FIELDS)
        )
    delete, change, differences = [], [], []
    seen = set()
    for pk, member_id, *values in stored:
        seen.add(member_id)
        want = wanted.get(member_id)
        if want is None:
            delete.append(pk)
            differences.append((member_id, "stray"))
        elif tuple(values) != want:
            change.append(_row(member_id, want, today, pk))
            differences.append((member_id, "stale"))
    insert = [_row(member_id, want, today) for member_id, want in wanted.items() if member_id not in seen]
    differences += [(r.member_id, "missing") for r in insert]
    if write:
        with unscoped():
            manager = MemberLapseState.objects
            if delete:
                manager.unscoped_all().filter(pk__in=delete).delete()
            if change:
                manager.bulk_update(change, [*FIELDS, "as_of"], batch_size=500)
            if insert:
                manager.bulk_create(insert, batch_size=500)
    return Synced(
        checked=len(ids),
        inserted=len(insert),
        changed=len(change),
        deleted=len(delete),
        differences=sorted(differences),
    )


def member_ids(prefix: str | None) -> list[int]:
    """The members a sync of the subtree at `prefix` (everything for None) looks at, in id order: its active
    members and the members with a stored row whose org (then or now) is in it."""
    with unscoped():
        members = Member.objects.unscoped_all().filter(status__in=ACTIVE_STATUSES)
        rows = MemberLapseState.objects.unscoped_all()
        if prefix is not None:
            members = members.filter(subtree_q("org__path", prefix))
            rows = rows.filter(subtree_q("org__path", prefix) | subtree_q("member__org__path", prefix))
        ids = set(members.values_list("pk", flat=True)) | set(rows.values_list("member_id", flat=True))
    return sorted(ids)


def sync(
    members: Iterable[int] | str | None,
    *,
    today: dt.date,
    write: bool = True,
    batch_size: int = BATCH,
) -> Synced:
    """Bring the stored lapse state of `members` — member ids, or the subtree at an org path, or everyone
    (None) — in line with the lapse watch on `today`, in batches (one transaction each), writing only the rows
    that differ (with `write=False`, only report the differences). Idempotent: a second run writes nothing."""
    ids = member_ids(members) if members is None or isinstance(members, str) else sorted(set(members))
    done = Synced()
    if not ids:
        return done
    policies = lapse.policies_all(today)
    for start in range(0, len(ids), batch_size):
        with transaction.atomic():
            done.add(_sync_batch(ids[start : start + batch_size], policies, today, write))
    return done


def sync_on_commit(member_ids: Iterable[int], *, today: dt.date) -> None:
    """`sync` of these members once the current transaction commits (the services' hook: the record stands
    whatever happens to the derived rows, which the nightly refresh repairs)."""
    ids = sorted(set(member_ids))
    if ids:
        transaction.on_commit(lambda: sync(ids, today=today))


COLUMNS = ("member_id", *FIELDS, "as_of")  # a row as `computed_rows` yields it


def sync_meeting_on_commit(meeting_id: int, *, today: dt.date) -> None:
    """`sync` of everyone on a finalized meeting's attendance (expected, or present as a guest: their months
    changed) once the current transaction commits; the finalize itself reads nothing more."""

    def run() -> None:
        with unscoped():
            ids = list(
                Attendance.objects.unscoped_all()
                .filter(meeting_id=meeting_id)
                .values_list("member_id", flat=True)
            )
        sync(ids, today=today)

    transaction.on_commit(run)


def computed_rows(today: dt.date, *, batch_size: int = 20 * BATCH) -> Iterator[tuple]:
    """Every row the table should hold on `today`, as `COLUMNS` tuples in member order (the seed copies them
    in; the table is empty then). Computed over ranges of member ids, so that memory stays bounded."""
    policies = lapse.policies_all(today)
    with unscoped():
        bounds = Member.objects.unscoped_all().aggregate(low=Min("pk"), high=Max("pk"))
    if bounds["low"] is None:
        return
    for low in range(bounds["low"], bounds["high"] + 1, batch_size):
        where = Q(member_id__gte=low, member_id__lt=low + batch_size)
        for member_id, values in sorted(_computed(where, policies, today).items()):
            yield (member_id, *values, today)


# --- readers --------------------------------------------------------------------------------------------------

TODO_FIELDS = (
    "member_id",
    "member__name",
    "member__name_sort",
    "member__org__code",
    "member__org__name",
    "member__org__path",
    "streak",
    "level",
)


def subtree_rows(prefixes: Iterable[str], *, level: str | None = None, limit: int | None = None):
    """The stored rows of the active members of the subtrees at `prefixes` (disjoint; through the member's
    current org) at `level` (None: warn and lapse): (the first `limit` rows by name, as `TODO_FIELDS` tuples;
    how many there are in all). One query whatever the subtrees hold (the count beside the rows:
    COUNT(*) OVER ()). The caller checks the reader's permission on each prefix."""
    where = Q()
    for prefix in prefixes:
        where |= subtree_q("member__org__path", prefix)
    if not where:
        return [], 0
    with unscoped():
        rows = MemberLapseState.objects.unscoped_all().filter(where, member__status__in=ACTIVE_STATUSES)
        if level is not None:
            rows = rows.filter(level=level)
        if limit == 0:
            return [], rows.count()
        found = list(
            rows.annotate(total=Window(Count("id")))
            .order_by("member__name", "member_id")
            .values_list(*TODO_FIELDS, "total")[:limit]
        )
    return [r[:-1] for r in found], (found[0][-1] if found else 0)


def level_counts(prefix: str) -> dict[str, int]:
    """How many active members of the subtree at `prefix` the stored rows put at each level (one query)."""
    out = {rules.LEVEL_LAPSE: 0, rules.LEVEL_WARN: 0}
    with unscoped():
        for level, n in (
            MemberLapseState.objects.unscoped_all()
            .filter(subtree_q("member__org__path", prefix), member__status__in=ACTIVE_STATUSES)
            .values_list("level")
            .annotate(n=Count("id"))
            .order_by()
        ):
            out[level] = n
    return out
