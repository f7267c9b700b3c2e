"""Exports of personal data and searches by ID number are audited events (members.disclosures): who, what,
which part of the tree, how many rows, whether ID numbers were in clear; a search by ID number is recorded
with the keyed hash of what was searched, never the number."""

from __future__ import annotations

import datetime as dt
import json

from django.urls import reverse

from grassroots.audit.models import AuditEvent
from grassroots.core import crypto, id_number
from grassroots.core.scoping import unscoped
from grassroots.members import disclosures
from tests.factories import make_member
from tests.support.dossiers import applicant


def events(action: str) -> list[AuditEvent]:
    with unscoped():
        return list(AuditEvent.objects.filter(action=action).order_by("id"))


def drain(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_roster_export_is_audited_with_rows_and_clear_numbers_when_an_admin_exports(client, personas, tree):
    client.force_login(personas.county_admin)
    drain(client.get(reverse("members:export"), {"org": tree.a.code}))
    (event,) = events(disclosures.EXPORT_ACTION)
    assert event.actor_id == personas.county_admin.pk and event.org_id == tree.a.pk
    assert event.target_type == "orgs.org" and event.target_id == tree.a.pk
    assert event.changes["export"] == "members.roster" and event.changes["scope"] == [tree.a.path]
    assert event.changes["rows"] == 2 and event.changes["clear_id_numbers"] is True  # 张三, 李四


def test_roster_export_is_audited_without_clear_numbers_when_a_viewer_exports(client, personas, tree):
    client.force_login(personas.county_viewer)
    drain(client.get(reverse("members:export")))
    (event,) = events(disclosures.EXPORT_ACTION)
    assert event.org_id is None and event.target_type == "accounts.user"
    assert event.changes["clear_id_numbers"] is False and event.changes["rows"] >= 3


def test_ledger_and_summary_exports_are_audited_when_downloaded(client, personas, tree):
    person = applicant(tree.a, "陈浩哲")
    client.force_login(personas.secretary_a)
    drain(client.get(reverse("recruitment:ledger"), {"org": tree.a.code, "format": "xlsx"}))
    drain(client.get(reverse("recruitment:summary", args=[person.pk]), {"format": "xlsx"}))
    ledger, summary = events(disclosures.EXPORT_ACTION)
    assert ledger.changes["export"] == "recruitment.ledger" and ledger.changes["rows"] == 1
    assert summary.changes["export"] == "recruitment.summary" and summary.changes["clear_id_numbers"] is True
    assert summary.target_id == tree.a.pk


def test_search_by_id_number_is_audited_with_its_keyed_hash_never_the_number(api_as, tree):
    number = id_number.make("110101", dt.date(1990, 5, 6), 123)
    make_member(tree.a, "陈浩哲", birth_date=dt.date(1990, 5, 6), sex="male", id_number=number)
    client = api_as("secretary_a")
    assert client.get("/members", headers={"X-Search": number}).status_code == 200
    assert client.get("/members", q=number[-4:]).status_code == 200
    assert client.get("/members", q="陈浩哲").status_code == 200  # not a search by ID number
    full, tail = events(disclosures.ID_SEARCH_ACTION)
    assert full.changes["query_hash"] == crypto.keyed_hash(number) and full.changes["tail"] is False
    assert tail.changes["query_hash"] == crypto.tail_hash(number) and tail.changes["tail"] is True
    for event in (full, tail):
        stored = json.dumps([event.changes, event.target_label, event.actor_label], ensure_ascii=False)
        assert number not in stored and number[-4:] not in stored.replace(event.changes["query_hash"], "")


def test_dossier_search_by_id_tail_is_audited_when_searching_the_ledger(client, personas, tree):
    person = applicant(tree.a, "陈浩哲")
    with unscoped():
        tail = crypto.decrypt(person.id_number_encrypted)[-4:]
    client.force_login(personas.secretary_a)
    assert client.get(reverse("recruitment:ledger"), {"org": tree.a.code, "q": tail}).status_code == 200
    (event,) = events(disclosures.ID_SEARCH_ACTION)
    assert event.changes["list"] == "recruitment" and event.changes["query_hash"] == crypto.tail_hash(tail)


def test_export_event_reads_in_the_org_history_when_shown(client, personas, tree):
    client.force_login(personas.county_admin)
    drain(client.get(reverse("members:export"), {"org": tree.a.code}))
    html = client.get(reverse("orgs:history", args=[tree.a.code])).content.decode()
    assert "导出个人信息" in html and "members.roster" not in html
