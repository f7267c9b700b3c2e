"""`grassroots id_key_rotate`: every stored ID number re-encrypted and re-hashed under a new key, audited,
safe to run again; the old key no longer opens anything."""

from __future__ import annotations

from io import StringIO

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import override_settings

from grassroots.accounts.id_key_rotation import models_with_id_numbers
from grassroots.audit.models import AuditEvent
from grassroots.audit.services import verify_chain
from grassroots.core import crypto, id_key
from grassroots.core.scoping import unscoped
from grassroots.members.models import Member
from grassroots.members.selectors import member_id_number
from grassroots.recruitment.models import Applicant
from tests.factories import SYSTEM
from tests.support.dossiers import activist


def rotate(tmp_path, key: str, *extra: str) -> str:
    path = tmp_path / "new.key"
    path.write_text(key + "\n")
    out = StringIO()
    call_command("id_key_rotate", "--new-key-file", str(path), *extra, stdout=out)
    return out.getvalue()


def stored() -> dict[tuple[str, int], tuple[str, str, str]]:
    with unscoped():
        return {
            (m._meta.label, pk): (enc, digest, tail)
            for m in (Member, Applicant)
            for pk, enc, digest, tail in m.objects.unscoped_all()
            .exclude(id_number_encrypted="")
            .values_list("pk", "id_number_encrypted", "id_number_hash", "id_number_tail_hash")
        }


def test_both_models_holding_id_numbers_are_found():
    assert [m._meta.label for m in models_with_id_numbers()] == ["members.Member", "recruitment.Applicant"]


def test_rotation_re_encrypts_and_re_hashes_every_id_number_and_audits_each_record(tmp_path, tree):
    activist(tree)
    with unscoped():
        clear = {row: crypto.decrypt(enc) for row, (enc, _h, _t) in stored().items()}
    before = stored()
    with unscoped():
        events = AuditEvent.objects.count()
    new_key = Fernet.generate_key().decode()
    out = rotate(tmp_path, new_key, "--batch-size", "2")
    after = stored()
    assert set(after) == set(before) and len(after) >= 4
    assert "members.Member: " in out and "recruitment.Applicant: 1 ID numbers re-encrypted" in out
    with override_settings(ID_NUMBER_KEY=new_key):
        for row, (enc, digest, tail) in after.items():
            assert crypto.decrypt(enc) == clear[row]
            assert digest == crypto.keyed_hash(clear[row]) != before[row][1]
            assert tail == crypto.tail_hash(clear[row]) != before[row][2]  # the search by the last four
        with unscoped():
            zhang = Member.objects.unscoped_all().select_related("org").get(pk=tree.zhang.pk)
        assert member_id_number(scope=SYSTEM, member=zhang) == clear[("members.Member", tree.zhang.pk)]
    for enc, _digest, _tail in after.values():
        with pytest.raises(InvalidToken):
            crypto.decrypt(enc)  # the old key opens nothing any more
    with unscoped():
        rotated = list(AuditEvent.objects.filter(action="id_key.rotate"))
        assert len(rotated) == len(after) == AuditEvent.objects.count() - events
    assert {(e.target_type, e.target_id) for e in rotated} == {(label.lower(), pk) for label, pk in after}
    assert verify_chain()[1] is None


def test_an_interrupted_rotation_finishes_when_run_again(tmp_path, tree):
    new_key = Fernet.generate_key().decode()
    with unscoped():
        first = Member.objects.unscoped_all().exclude(id_number_encrypted="").order_by("pk").first()
        first.id_number_encrypted, first.id_number_hash, first.id_number_tail_hash = id_key.reencrypt(
            first.id_number_encrypted, old_key=settings.ID_NUMBER_KEY, new_key=new_key
        )
        first.save(update_fields=["id_number_encrypted", "id_number_hash", "id_number_tail_hash"])
    n = len(stored())
    out = rotate(tmp_path, new_key)
    assert f"members.Member: {n - 1} ID numbers re-encrypted" in out
    assert "members.Member: 0 ID numbers re-encrypted" in rotate(tmp_path, new_key)
    with override_settings(ID_NUMBER_KEY=new_key):
        assert all(crypto.decrypt(enc) for enc, _h, _t in stored().values())


def test_rotation_refuses_a_malformed_key_or_the_key_in_use(tmp_path, tree):
    before = stored()
    with pytest.raises(CommandError, match="not a Fernet key"):
        rotate(tmp_path, "not-a-key")
    with pytest.raises(CommandError, match="the key in use"):
        rotate(tmp_path, settings.ID_NUMBER_KEY)
    assert stored() == before


def test_the_rotation_hash_is_the_hash_search_uses():
    assert id_key.keyed_hash("110101199003070011", settings.ID_NUMBER_KEY) == crypto.keyed_hash(
        "110101199003070011"
    )
