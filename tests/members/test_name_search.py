"""The member search matches the start of a name, former name, pinyin or initials, and an index serves each on
both engines (core.textsearch.prefix_q; the indexes of members 0005)."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from grassroots.core.scoping import unscoped
from grassroots.members import selectors
from grassroots.members.models import Member
from tests.factories import SYSTEM, make_member

pytestmark = pytest.mark.django_db


def names(q: str) -> list[str]:
    return [m.name for m in selectors.member_list(scope=SYSTEM, q=q)]


def test_search_finds_the_names_that_start_with_the_text_and_no_others_when_given_a_prefix(tree):
    make_member(tree.a, "张")  # the prefix itself is a name
    make_member(tree.a, "弡甲")  # the code point after 张: the range's ceiling, not in it
    make_member(tree.b, "李张", former_names="张小五")
    assert sorted(names("张")) == ["张", "张三", "李张"]  # 李张 by the former name
    assert names("张三") == ["张三"]
    assert names("三") == []  # the middle of a name is not its start
    assert sorted(names("zhang")) == ["张", "张三"]
    assert sorted(names("zhan")) == ["张", "张三"]
    assert names("hang") == []
    assert names("lz") == ["李张"]


def _plan(q: str) -> str:
    qs = Member.objects.within(SYSTEM).filter(selectors.search_q(q))
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with transaction.atomic():
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute("EXPLAIN " + sql, params)
                return "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


@pytest.mark.parametrize(
    ("q", "indexes"),
    [
        ("张", ("member_name_prefix", "member_former_names_prefix")),
        ("zhang", ("name_pinyin", "name_initials")),
    ],
)
def test_an_index_serves_the_name_search_when_searching_by_prefix(tree, q, indexes):
    with unscoped():
        plan = _plan(q)
    assert all(index in plan for index in indexes), plan
    assert "SCAN members_member" not in plan and "Seq Scan on members_member" not in plan, plan
