"""One access helper per entity fetches and authorizes in one call: "missing" and "not yours" answer the
same NotFound; in scope without the roles asked for, PermissionDenied."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from grassroots.core import permissions
from grassroots.core.errors import NotFound
from grassroots.documents import selectors as document_selectors
from grassroots.documents import services as document_services
from grassroots.members import selectors as member_selectors
from grassroots.members import services as member_services
from grassroots.orgs import selectors as org_selectors
from tests.factories import SYSTEM

PDF = b"%PDF-1.4\n% access\n1 0 obj << >> endobj\n%%EOF\n"


@pytest.fixture
def scopes(personas, scope_of):
    return {name: scope_of(getattr(personas, name)) for name in ("county_viewer", "secretary_a", "member_b")}


def test_org_get_answers_not_found_alike_when_missing_or_out_of_scope(tree, scopes):
    a = scopes["secretary_a"]
    assert org_selectors.org_get(scope=a, code="A", roles=permissions.ORG_EDIT) == tree.a
    for code in ("B", "NOPE"):
        with pytest.raises(NotFound):
            org_selectors.org_get(scope=a, code=code, roles=permissions.ORG_EDIT)
    with pytest.raises(PermissionDenied):
        org_selectors.org_get(scope=scopes["county_viewer"], code="A", roles=permissions.ORG_EDIT)
    assert org_selectors.org_get(scope=scopes["county_viewer"], code="A") == tree.a


def test_member_get_answers_not_found_alike_when_missing_or_out_of_scope(tree, scopes):
    a = scopes["secretary_a"]
    assert member_selectors.member_get(scope=a, member_id=tree.zhang.pk, roles=permissions.MEMBER_EDIT)
    for member_id in (tree.wang.pk, 999999):
        with pytest.raises(NotFound):
            member_selectors.member_get(scope=a, member_id=member_id, roles=permissions.MEMBER_EDIT)
    with pytest.raises(PermissionDenied):
        member_selectors.member_get(
            scope=scopes["county_viewer"], member_id=tree.zhang.pk, roles=permissions.MEMBER_EDIT
        )


def test_transfer_get_authorizes_either_end_when_roles_are_asked(tree, scopes):
    today = dt.date.today()
    letter = member_services.transfer_issue(
        scope=SYSTEM,
        actor=None,
        member=tree.li,
        to_org=tree.b,
        external_org_name="",
        letter_serial="2026-900",
        dues_paid_to=today,
        issued_on=today,
    )
    edit = permissions.MEMBER_EDIT
    assert member_selectors.transfer_get(scope=scopes["secretary_a"], transfer_id=letter.pk, roles=edit)
    with pytest.raises(PermissionDenied):
        member_selectors.transfer_get(scope=scopes["county_viewer"], transfer_id=letter.pk, roles=edit)
    with pytest.raises(NotFound):
        member_selectors.transfer_get(scope=scopes["member_b"], transfer_id=letter.pk, roles=edit)
    with pytest.raises(NotFound):
        member_selectors.transfer_get(scope=scopes["secretary_a"], transfer_id=999999, roles=edit)


def test_document_get_answers_not_found_alike_when_missing_or_out_of_scope(tree, scopes):
    document = document_services.document_attach(
        scope=SYSTEM,
        actor=None,
        org=tree.a,
        subject=tree.zhang,
        kind="talk_record",
        title="",
        file=SimpleUploadedFile("记录.pdf", PDF, "application/pdf"),
    )
    edit = permissions.MEMBER_EDIT
    assert document_selectors.document_get(scope=scopes["secretary_a"], document_id=document.pk, roles=edit)
    with pytest.raises(PermissionDenied):
        document_selectors.document_get(scope=scopes["county_viewer"], document_id=document.pk, roles=edit)
    for scope, document_id in ((scopes["member_b"], document.pk), (scopes["secretary_a"], 999999)):
        with pytest.raises(NotFound):
            document_selectors.document_get(scope=scope, document_id=document_id, roles=edit)
