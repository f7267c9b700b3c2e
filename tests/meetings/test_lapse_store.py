"""The stored lapse state (MEM-LAPSE-6M, core.derived "lapse"): the rows equal the live lapse watch after the
seed, after minutes are finalized and after an excusal is recorded; the to-do and the member badge read them
in a fixed number of queries; the lapse page's counts agree with them; drift is found and repaired by
`derived_refresh lapse`, and the nightly run follows the months rolling over."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from grassroots.audit.models import AuditEvent
from grassroots.core.scoping import unscoped
from grassroots.demo import seeder
from grassroots.meetings import lapse, lapse_store, lapse_todo, rules, services
from grassroots.meetings.models import Attendance, MemberLapseState
from grassroots.orgs.models import Org
from tests.factories import SYSTEM, make_meeting, make_member
from tests.support.queries import count_queries, few_vs_many

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2026, 12, 4)
MONTHS = [D(2026, m, 10) for m in (6, 7, 8, 9, 10, 11)]


def stored() -> dict[int, tuple]:
    with unscoped():
        return {
            member_id: rest
            for member_id, *rest in MemberLapseState.objects.unscoped_all().values_list(
                "member_id", "org_id", "streak", "since", "level", "source", "warn_months", "lapse_months"
            )
        }


def live(today: dt.date) -> dict[int, tuple]:
    """The live lapse watch of every root, at the warn level or above, as the rows store it."""
    out = {}
    with unscoped():
        roots = list(Org.objects.unscoped_all().filter(depth=1))
    for root in roots:
        for r in lapse.lapse_watch(scope=SYSTEM, org=root, today=today, level=rules.LEVEL_WARN)._rows:
            out[r.member_id] = [
                r.person.org_id,
                r.streak,
                r.since,
                r.level,
                r.source,
                r.warn_months,
                r.lapse_months,
            ]
    return out


def finalized(org, on, *, present=(), today=TODAY):
    """A meeting of `org` on `on` finalized through the services: `present` signed in, the rest recorded absent."""
    meeting = make_meeting(org, planned_on=on, topic=f"会议 {on}")
    with unscoped():
        Attendance.objects.unscoped_all().filter(meeting=meeting, member__in=list(present)).update(
            status="present", method="secretary"
        )
    services.minutes_save(scope=SYSTEM, actor=None, meeting=meeting, text="会议讨论了工作。")
    services.minutes_finalize(scope=SYSTEM, actor=None, meeting=meeting, today=today)
    return meeting


@pytest.fixture
def today(today_is):
    return today_is(TODAY)


@pytest.fixture
def lapsed(tree, today, django_capture_on_commit_callbacks):
    """Six months of A's meetings that 李四 missed (lapse) and three of B's that 王五 missed (warn), finalized
    through the services, whose hook runs on commit."""
    with django_capture_on_commit_callbacks(execute=True):
        for on in MONTHS:
            finalized(tree.a, on, present=[tree.zhang])
        for on in MONTHS[-3:]:
            finalized(tree.b, on)
    return tree


def test_rows_equal_the_live_watch_when_minutes_are_finalized(lapsed):
    rows = stored()
    assert rows == live(TODAY)
    assert {m: (r[1], r[3]) for m, r in rows.items()} == {
        lapsed.li.pk: (6, "lapse"),
        lapsed.wang.pk: (3, "warn"),
    }


def test_finalize_syncs_only_after_the_transaction_commits(tree, today, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        for on in MONTHS[-3:]:
            finalized(tree.b, on)
    assert stored() == {}
    for callback in callbacks:
        callback()
    assert set(stored()) == {tree.wang.pk}


def test_excusal_removes_the_row_when_it_covers_the_streak(lapsed, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.excusal_record(
            scope=SYSTEM,
            actor=None,
            member=lapsed.li,
            reason_kind="mobile",
            reason="外出务工",
            from_month=D(2026, 9, 1),
        )
    rows = stored()
    assert lapsed.li.pk not in rows
    assert rows == live(TODAY)


def test_seeded_rows_equal_the_live_watch_when_the_demo_is_loaded(db):
    as_of = D(2026, 6, 30)
    seeder.seed(scale="tiny", seed=1, as_of=as_of, out=lambda _m: None)
    rows = stored()
    assert rows, "the demo has members at the warn or lapse level"
    assert rows == live(as_of)
    assert lapse_store.sync(None, today=as_of, write=False).differences == []


def test_page_counts_agree_with_the_stored_rows_when_an_upper_org_is_watched(lapsed):
    for org in (lapsed.county, lapsed.a, lapsed.b):
        watched = lapse.lapse_watch(scope=SYSTEM, org=org, today=TODAY)
        assert watched.levels() == lapse_store.level_counts(org.path)


def test_todo_reads_the_stored_rows_in_one_query_whatever_the_subtree_holds(
    lapsed, personas, scope_of, django_capture_on_commit_callbacks
):
    scope = scope_of(personas.county_admin)

    def items():
        return lapse_todo.lapse_items(scope=scope, today=TODAY)

    def grow():
        extra = [make_member(lapsed.a, f"党员{i}") for i in range(4)]
        with django_capture_on_commit_callbacks(execute=True):
            for on in MONTHS:
                finalized(lapsed.a, on, present=[lapsed.zhang])
        return extra

    growth = few_vs_many(items, grow)
    assert growth.many == 1
    assert sorted(i.subject for i in growth.result.items) == sorted(["李四"] + [f"党员{i}" for i in range(4)])


def test_todo_skips_a_member_no_longer_active_before_the_nightly_refresh(lapsed, personas, scope_of):
    with unscoped():
        type(lapsed.li).objects.unscoped_all().filter(pk=lapsed.li.pk).update(status="withdrawn")
    found = lapse_todo.lapse_items(scope=scope_of(personas.county_admin), today=TODAY)
    assert [i.subject for i in found.items] == []


def test_member_badge_reads_the_stored_row_in_one_query(lapsed, personas, scope_of):
    scope = scope_of(personas.secretary_a)
    with unscoped():
        li = type(lapsed.li).objects.unscoped_all().select_related("org").get(pk=lapsed.li.pk)
    count, badge = count_queries(lambda: lapse_todo.member_badge(scope=scope, member=li, today=TODAY))
    assert count == 1
    assert (badge.label, badge.style) == ("连续 6 个月未参加组织生活", "danger")


def test_check_finds_drift_and_refresh_repairs_it_once(lapsed):
    with unscoped():
        MemberLapseState.objects.unscoped_all().filter(member=lapsed.li).update(streak=2)
        MemberLapseState.objects.unscoped_all().filter(member=lapsed.wang).delete()
        MemberLapseState.objects.unscoped_all().create(
            member=lapsed.zhang, org=lapsed.a, streak=9, since=D(2026, 1, 1), level="lapse", source="org_life",
            warn_months=3, lapse_months=6, as_of=TODAY,
        )  # fmt: skip
    out = io.StringIO()
    with pytest.raises(CommandError, match="lapse state drift in 3 members"):
        call_command("derived_refresh", "lapse", "--check", stdout=out)
    assert sorted(out.getvalue().splitlines()) == sorted(
        [
            f"lapse: member {lapsed.zhang.pk}: stray",
            f"lapse: member {lapsed.li.pk}: stale",
            f"lapse: member {lapsed.wang.pk}: missing",
        ]
    )
    first = io.StringIO()
    call_command("derived_refresh", "lapse", "--org", lapsed.county.code, stdout=first)
    assert (
        first.getvalue().splitlines()[-1]
        == "lapse: lapse state: 3 members checked, 1 added, 1 changed, 1 removed"
    )
    assert stored() == live(TODAY)
    with unscoped():
        assert AuditEvent.objects.filter(action="meetings.lapse_refresh").count() == 1
    second = io.StringIO()
    call_command("derived_refresh", "lapse", stdout=second)
    assert second.getvalue().splitlines()[-1].endswith("0 added, 0 changed, 0 removed")


def test_nightly_refresh_follows_the_months_when_time_passes(lapsed, today_is):
    # Three months on, with no meeting since: the months ahead are neutral and the streaks hold; a year on,
    # the window has moved past them and the rows go.
    today_is(D(2027, 12, 4))
    call_command("derived_refresh", "lapse", "--nightly", stdout=io.StringIO())
    assert stored() == {} == live(D(2027, 12, 4))


def test_todo_shows_the_first_items_by_name_and_counts_them_all_when_limited(lapsed, personas, scope_of):
    with unscoped():
        MemberLapseState.objects.unscoped_all().filter(member=lapsed.wang).update(level="lapse", streak=6)
    found = lapse_todo.lapse_items(scope=scope_of(personas.county_admin), today=TODAY, limit=1)
    assert (found.total, found.overdue) == (2, 2)
    assert [i.subject for i in found.items] == [min("李四", "王五")]
    assert lapse_todo.lapse_items(scope=scope_of(personas.county_admin), today=TODAY, limit=0).total == 2
