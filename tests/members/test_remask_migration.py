"""The data migration that rewrites stored masked ID numbers (members 0010, recruitment 0008): rows masked the
old way (region and last four) get the one mask and the keyed hash of their tail, batch by batch."""

from __future__ import annotations

import importlib

from django.apps import apps

from grassroots.core import crypto, id_number
from grassroots.core.scoping import unscoped
from grassroots.members.models import Member
from grassroots.recruitment.models import Applicant
from tests.support.dossiers import applicant

members_0010 = importlib.import_module("grassroots.members.migrations.0010_id_number_mask_and_tail_hash")
recruitment_0008 = importlib.import_module(
    "grassroots.recruitment.migrations.0008_id_number_mask_and_tail_hash"
)


def test_stored_rows_are_remasked_when_the_migration_runs(tree, monkeypatch):
    person = applicant(tree.a, "陈浩哲")
    with unscoped():
        for model in (Member, Applicant):
            for row in model.objects.unscoped_all():
                number = crypto.decrypt(row.id_number_encrypted)
                model.objects.unscoped_all().filter(pk=row.pk).update(
                    id_number_masked=id_number.legacy_mask(number), id_number_tail_hash=""
                )
        monkeypatch.setattr(members_0010, "BATCH", 2)  # several batches
        members_0010.remask("members", "Member")(apps, None)
        recruitment_0008.remask("recruitment", "Applicant")(apps, None)
        rows = [*Member.objects.unscoped_all(), Applicant.objects.unscoped_all().get(pk=person.pk)]
        assert len(rows) >= 4
        for row in rows:
            number = crypto.decrypt(row.id_number_encrypted)
            assert row.id_number_masked == id_number.mask(number) == number[:6] + "*" * 12
            assert row.id_number_tail_hash == crypto.tail_hash(number)
