"""The stored ORG-* warnings (`OrgWarningState`): recompute the rows of some orgs and write the differences.

No permission checks and no audit here: the callers are the org and member services (inside their transaction,
for the orgs whose facts they changed), the refresh service (after checking the caller's scope), the seed and
`migrate`. Each batch is the batch reader's queries (`selectors._facts_batch`) plus one read of the stored rows
and at most four writes, however many orgs it holds.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from grassroots.core.scoping import subtree_q, unscoped

from . import rules
from .models import Org, OrgWarningState

# Orgs recomputed per batch by a subtree refresh (one `IN` list of this many ids per query).
REFRESH_BATCH = 2000

# The order an org's rules are shown in: the order `rules.org_warnings` reports them.
RULE_ORDER = ("ORG-BRANCH-MIN-3", "ORG-BRANCH-MAX-50", "ORG-COMMITTEE-7", "ORG-TERM", "ORG-SECRETARY-1Y")

# The Org columns the facts need.
_FACT_FIELDS = ("path", "depth", "kind", "unit_kind", "is_joint", "secretary_vacant_since", "ended_on")


@dataclass
class Refreshed:
    """What a refresh did: orgs checked, and (org, rule) rows inserted, changed and deleted."""

    checked: int = 0
    inserted: int = 0
    changed: int = 0
    deleted: int = 0

    def add(self, other: Refreshed) -> None:
        self.checked += other.checked
        self.inserted += other.inserted
        self.changed += other.changed
        self.deleted += other.deleted


def stored_form(warnings: list[rules.OrgWarning]) -> dict[str, list[dict]]:
    """The rows an org's warnings are stored as: rule id → its messages, untranslated, in the rules' order."""
    out: dict[str, list[dict]] = {}
    for w in warnings:
        out.setdefault(w.rule_id, []).append({"msgid": w.msgid, "values": w.values})
    return out


def shown(rule_id: str, messages: list[dict]) -> list[rules.OrgWarning]:
    """A stored row as the warnings it holds, their messages in the active language."""
    return [
        rules.OrgWarning(
            rule_id, rules.warning_message(m["msgid"], m["values"]), msgid=m["msgid"], values=m["values"]
        )
        for m in messages
    ]


def refresh(org_ids: Iterable[int], *, on: dt.date) -> Refreshed:
    """Recompute the stored warnings of these orgs on `on` (an ended org keeps none) and write what differs.

    The orgs' rows are locked first (on PostgreSQL), so two transactions refreshing one org take turns and
    the second reads the first one's facts.
    """
    ids = sorted(set(org_ids))
    if not ids:
        return Refreshed()
    with unscoped():
        orgs = list(
            Org.objects.unscoped_all()
            .select_for_update()
            .filter(pk__in=ids)
            .only(*_FACT_FIELDS)
            .order_by("pk")
        )
    return _refresh_orgs(orgs, on)


@dataclass
class _Changes:
    """What writing the fresh warnings of some orgs takes: rows to delete, to give today's `computed_on`, to
    rewrite and to insert."""

    delete: list[int]
    touch: list[int]
    change: list[OrgWarningState]
    insert: list[OrgWarningState]
    # (org_id, rule_id) → how the row differs: "missing" (holds, not stored), "stray" (stored, no longer
    # holds), "stale" (stored with other messages).
    differences: dict[tuple[int, str], str]


def _changes(orgs: list[Org], on: dt.date) -> _Changes:
    """Compare the warnings of `orgs` on `on` (computed with the batch reader) with their stored rows: the
    batch reader's queries and one read of the stored rows, whatever the number of orgs."""
    from .selectors import _facts_batch

    ids = [o.pk for o in orgs]
    open_orgs = [o for o in orgs if o.ended_on is None]
    open_ids = [o.pk for o in open_orgs]
    facts = _facts_batch(open_orgs, lambda rel: Q(**{f"{rel}__in": open_ids}), on) if open_orgs else {}
    wanted = {org_id: stored_form(rules.org_warnings(f, on)) for org_id, f in facts.items()}
    with unscoped():
        stored = list(
            OrgWarningState.objects.unscoped_all()
            .filter(org_id__in=ids)
            .values_list("pk", "org_id", "rule_id", "messages", "computed_on")
        )
    found = _Changes(delete=[], touch=[], change=[], insert=[], differences={})
    seen: set[tuple[int, str]] = set()
    for pk, org_id, rule_id, messages, computed_on in stored:
        want = wanted.get(org_id, {}).get(rule_id)
        seen.add((org_id, rule_id))
        if want is None:
            found.delete.append(pk)
            found.differences[(org_id, rule_id)] = "stray"
        elif want != messages:
            found.change.append(OrgWarningState(pk=pk, messages=want, computed_on=on))
            found.differences[(org_id, rule_id)] = "stale"
        elif computed_on < on:
            found.touch.append(pk)
    for org_id, by_rule in wanted.items():
        for rule_id, messages in by_rule.items():
            if (org_id, rule_id) not in seen:
                found.insert.append(
                    OrgWarningState(
                        org_id=org_id, rule_id=rule_id, messages=messages, since=on, computed_on=on
                    )
                )
                found.differences[(org_id, rule_id)] = "missing"
    return found


def _refresh_orgs(orgs: list[Org], on: dt.date) -> Refreshed:
    found = _changes(orgs, on)
    with unscoped():
        manager = OrgWarningState.objects
        if found.delete:
            manager.unscoped_all().filter(pk__in=found.delete).delete()
        if found.touch:
            manager.unscoped_all().filter(pk__in=found.touch).update(computed_on=on)
        if found.change:
            manager.bulk_update(found.change, ["messages", "computed_on"], batch_size=500)
        if found.insert:
            manager.bulk_create(found.insert, batch_size=500)
    return Refreshed(
        checked=len(orgs), inserted=len(found.insert), changed=len(found.change), deleted=len(found.delete)
    )


@dataclass(frozen=True)
class Drift:
    """An org whose stored warnings differ from its warnings on the day of the check."""

    org_id: int
    code: str
    name: str
    rules: tuple[tuple[str, str], ...]  # (rule_id, "missing" | "stray" | "stale"), in the rules' order

    def describe(self) -> str:
        return f"{self.code} {self.name}: " + ", ".join(f"{rule_id} {how}" for rule_id, how in self.rules)


def _rule_key(rule_id: str) -> tuple[int, str]:
    return (RULE_ORDER.index(rule_id) if rule_id in RULE_ORDER else len(RULE_ORDER), rule_id)


def drift(prefix: str | None, *, on: dt.date, batch_size: int = REFRESH_BATCH) -> list[Drift]:
    """The orgs of the subtree at `prefix` (all for None) whose stored warnings differ from what the rules
    give on `on`, in tree order: the refresh's comparison in batches of `batch_size` orgs, writing nothing
    (an as-of day that is merely old is no difference)."""
    out: list[Drift] = []
    ids = subtree_ids(prefix)
    for start in range(0, len(ids), batch_size):
        with unscoped():
            orgs = list(
                Org.objects.unscoped_all()
                .filter(pk__in=ids[start : start + batch_size])
                .only("code", "name", *_FACT_FIELDS)
                .order_by("path")
            )
        found = _changes(orgs, on)
        by_org: dict[int, list[tuple[str, str]]] = {}
        for (org_id, rule_id), how in found.differences.items():
            by_org.setdefault(org_id, []).append((rule_id, how))
        for org in orgs:
            if org.pk in by_org:
                rules_found = tuple(sorted(by_org[org.pk], key=lambda r: _rule_key(r[0])))
                out.append(Drift(org_id=org.pk, code=org.code, name=org.name, rules=rules_found))
    return out


def subtree_ids(prefix: str | None) -> list[int]:
    """The ids of every org (open or ended) in the subtree at `prefix` (all orgs for None), in tree order."""
    with unscoped():
        qs = Org.objects.unscoped_all()
        if prefix is not None:
            qs = qs.filter(subtree_q("path", prefix))
        return list(qs.order_by("path").values_list("pk", flat=True))


def refresh_subtree(prefix: str | None, *, on: dt.date, batch_size: int = REFRESH_BATCH) -> Refreshed:
    """Recompute the subtree at `prefix` (everything for None) in batches of `batch_size` orgs, each batch in
    its own transaction. Idempotent: a second run on the same day writes nothing."""
    from django.db import transaction

    done = Refreshed()
    ids = subtree_ids(prefix)
    for start in range(0, len(ids), batch_size):
        with transaction.atomic():
            done.add(refresh(ids[start : start + batch_size], on=on))
    return done


# The columns `computed_rows` yields, for a bulk load.
COLUMNS = ("org_id", "rule_id", "messages", "since", "computed_on")


def computed_rows(*, on: dt.date, batch_size: int = REFRESH_BATCH) -> list[tuple]:
    """The rows of every open org's warnings on `on`, computed in batches with the batch reader, for a bulk load
    into the empty table (the seed): (org_id, rule_id, messages as JSON text, since, computed_on)."""
    from .selectors import _facts_batch

    out: list[tuple] = []
    with unscoped():
        ids = list(
            Org.objects.unscoped_all()
            .filter(ended_on__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        for start in range(0, len(ids), batch_size):
            chunk = ids[start : start + batch_size]
            orgs = list(Org.objects.unscoped_all().filter(pk__in=chunk).only(*_FACT_FIELDS).order_by("pk"))
            facts = _facts_batch(orgs, lambda rel, chunk=chunk: Q(**{f"{rel}__in": chunk}), on)
            for org_id, f in facts.items():
                for rule_id, messages in stored_form(rules.org_warnings(f, on)).items():
                    out.append((org_id, rule_id, json.dumps(messages), on, on))
    return out
