import pytest

from grassroots.core.scoping import ScopeError
from grassroots.members.models import Member
from grassroots.members.selectors import member_list, subtree_member_counts


@pytest.mark.django_db
def test_unscoped_query_raises_outside_unscoped_block(tree):
    with pytest.raises(ScopeError):
        list(Member.objects.all())


def test_secretary_sees_only_own_branch(personas, tree, scope_of):
    scope = scope_of(personas.secretary_a)
    names = {m.name for m in member_list(scope=scope)}
    assert names == {"张三", "李四"}
    assert subtree_member_counts(scope=scope_of(personas.county_admin), org=tree.county)["active"] == 3
