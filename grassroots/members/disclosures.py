"""Disclosures of personal data that leave an audit event: an export (the member roster, the recruitment
ledger, a 纪实表 — any workbook or print of people's records) and a search by ID number (a whole number or
its last four characters). The event names who, what, in which part of the tree, how many rows and whether
ID numbers were written in clear; a search is recorded with the keyed hash of what was searched
(core.crypto), never the number.

The target of the event is the org the export or search was limited to (its history lists it), else the
caller's own account."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from grassroots.audit.services import record
from grassroots.core import crypto, id_number
from grassroots.core.scoping import Scope
from grassroots.core.textsearch import normalize_query
from grassroots.orgs.models import Org

EXPORT_ACTION = "personal_data.export"
ID_SEARCH_ACTION = "personal_data.id_search"


def _target(actor, org: Org | None):
    return org if org is not None else actor


def export_record(
    *, scope: Scope, actor, export: str, title: str, org: Org | None, rows: int, clear_id_numbers: bool
) -> None:
    """Record that `actor` exported `rows` records (`export`: a stable code such as "members.roster"; `title`:
    what people call it) of `org`'s subtree, or of their whole scope without one."""
    with transaction.atomic():
        record(
            actor=actor,
            action=EXPORT_ACTION,
            target=_target(actor, org),
            org_id=org.pk if org is not None else None,
            label=_("%(title)s（%(rows)s行）") % {"title": title, "rows": rows},
            changes={
                "export": export,
                "scope": [org.path] if org is not None else list(scope.roots),
                "rows": rows,
                "clear_id_numbers": clear_id_numbers,
            },
        )


def id_search_kind(q: str) -> str | None:
    """ "full" when `q` is a whole ID number, "tail" when it is the last four characters of one, else None —
    as members.selectors.search_q and the dossiers' search read it."""
    q = normalize_query(q or "")
    if id_number.full_query(q):
        return "full"
    if id_number.tail_query(q):
        return "tail"
    return None


def id_search_record(*, scope: Scope, actor, q: str, where: str, org: Org | None = None) -> bool:
    """Record a search by ID number (`where`: the list searched, e.g. "members"); nothing for any other
    search. Returns whether an event was written."""
    kind = id_search_kind(q)
    if kind is None or actor is None or getattr(actor, "pk", None) is None:
        return False
    text = id_number.normalize(normalize_query(q))
    digest = crypto.keyed_hash(text) if kind == "full" else crypto.tail_hash(text)
    with transaction.atomic():
        record(
            actor=actor,
            action=ID_SEARCH_ACTION,
            target=_target(actor, org),
            org_id=org.pk if org is not None else None,
            label=_("按身份证号检索"),
            changes={
                "list": where,
                "scope": [org.path] if org is not None else list(scope.roots),
                "tail": kind == "tail",
                "query_hash": digest,
            },
        )
    return True
