import pytest

from grassroots.core.errors import NotFound
from grassroots.core.scoping import Grant, Scope, ScopeError, unscoped
from grassroots.members.models import Member
from grassroots.orgs.models import Org

A = Grant(org_id=1, path="00010001", role="secretary")
A_VIEW = Grant(org_id=2, path="0001", role="viewer")
B = Grant(org_id=3, path="00010002", role="member")


def test_roots_drop_paths_inside_another_grant_when_grants_nest():
    assert Scope(user_id=1, grants=(A, A_VIEW, B)).roots == ("0001",)
    assert Scope(user_id=1, grants=(A, B)).roots == ("00010001", "00010002")


def test_covers_and_roles_follow_the_path_prefix_when_checking_a_descendant():
    scope = Scope(user_id=1, grants=(A, A_VIEW))
    assert scope.covers("000100010003")
    assert not scope.covers("0002")
    assert scope.roles_at("000100010003") == {"secretary", "viewer"}
    assert scope.roles_at("00010002") == {"viewer"}
    assert scope.has_role("00010001", {"secretary"}) and not scope.has_role("00010002", {"secretary"})


def test_system_scope_covers_everything_and_anonymous_nothing():
    assert Scope.system().covers("ZZZZ") and Scope.system().has_role("ZZZZ", {"x"})
    anonymous = Scope.anonymous()
    assert anonymous.is_empty and not anonymous.covers("0001")


@pytest.mark.django_db
def test_empty_scope_matches_no_rows_when_filtering(tree):
    assert Org.objects.within(Scope.anonymous()).count() == 0
    assert Org.objects.within(Scope.system()).count() == 5


def test_narrowed_keeps_roles_at_the_path_when_inside_the_scope():
    narrowed = Scope(user_id=7, grants=(A_VIEW, A)).narrowed("000100010009")
    assert narrowed.roots == ("000100010009",)
    assert narrowed.roles_at("000100010009") == {"secretary", "viewer"}
    assert Scope.system().narrowed("0003").roots == ("0003",)


def test_narrowed_answers_not_found_when_path_outside_the_scope():
    with pytest.raises(NotFound):
        Scope(user_id=7, grants=(A,)).narrowed("00010002")


@pytest.mark.django_db
def test_default_manager_fails_closed_when_no_scope_and_no_unscoped_block(tree):
    with pytest.raises(ScopeError):
        Member.objects.count()
    with pytest.raises(ScopeError):
        Member.objects.unscoped_all()
    with pytest.raises(ScopeError):
        list(tree.a.members.all())
    with unscoped():
        assert Member.objects.unscoped_all().count() == 3
