import pytest
from django.core.management import CommandError, call_command

from grassroots.accounts.models import RoleGrant
from grassroots.accounts.selectors import scope_for_user


def test_user_add_provisions_a_scoped_user_when_run_by_operator(tree):
    call_command("user_add", "sec_a", "--password", "Long-Enough-Pass-1", "--org", "A", "--role", "secretary")
    grant = RoleGrant.objects.get(user__username="sec_a")
    assert (grant.org.code, grant.role) == ("A", "secretary")
    scope = scope_for_user(grant.user)
    assert scope.covers(tree.a.path) and not scope.covers(tree.b.path)


def test_user_add_refuses_when_org_outside_the_acting_users_scope(personas, tree):
    with pytest.raises(CommandError, match="not found"):
        call_command(
            "user_add",
            "x",
            "--password",
            "Long-Enough-Pass-1",
            "--org",
            "B",
            "--role",
            "member",
            "--as-user",
            "secretary_a",
        )
    assert not RoleGrant.objects.filter(user__username="x").exists()


def test_user_add_refuses_when_password_is_weak(tree):
    with pytest.raises(CommandError, match="ACC-PASSWORD"):
        call_command("user_add", "weak", "--password", "123", "--org", "A", "--role", "member")


def test_user_add_refuses_when_acting_user_is_not_an_org_admin(personas, tree):
    with pytest.raises(CommandError, match="permission denied"):
        call_command(
            "user_add",
            "y",
            "--password",
            "Long-Enough-Pass-1",
            "--org",
            "A",
            "--role",
            "member",
            "--as-user",
            "secretary_a",
        )
