import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from grassroots.audit.models import AuditEvent
from grassroots.audit.services import verify_chain
from grassroots.core.scoping import Scope
from grassroots.members import services


def test_chain_verifies_when_untouched(tree):
    checked, broken = verify_chain()
    assert checked > 5 and broken is None
    call_command("audit_verify")


def test_chain_breaks_when_an_event_is_altered_in_the_store(tree):
    target = AuditEvent.objects.within(Scope.system()).order_by("id")[2]
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE audit_auditevent SET changes = %s WHERE id = %s", ['{"phone": ["x", "y"]}', target.pk]
        )
    assert verify_chain()[1] == target.pk
    with pytest.raises(CommandError):
        call_command("audit_verify")


def test_failed_write_leaves_no_audit_event_when_rule_refuses(tree):
    before = AuditEvent.objects.within(Scope.system()).count()
    with pytest.raises(Exception):  # noqa: B017 - any refusal
        services.member_update(scope=Scope.system(), actor=None, member=tree.zhang, converted_on=None)
    assert AuditEvent.objects.within(Scope.system()).count() == before
