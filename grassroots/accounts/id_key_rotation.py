"""Rotating the ID number key: every stored ID number re-encrypted and re-hashed under a new key, batched,
each record's change an audit event (docs/operations.md, "Key rotation")."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from django.apps import apps
from django.db import models, transaction

from grassroots.audit.services import record
from grassroots.core import id_key
from grassroots.core.scoping import unscoped

FIELDS = ("id_number_encrypted", "id_number_hash", "id_number_tail_hash")
ACTION = "id_key.rotate"


def models_with_id_numbers() -> list[type[models.Model]]:
    """Every model that stores an encrypted ID number with its keyed hashes (members, applicants, …)."""
    found = []
    for model in apps.get_models():
        names = {f.name for f in model._meta.get_fields()}
        if set(FIELDS) <= names:
            found.append(model)
    return sorted(found, key=lambda m: m._meta.label)


def _rows(model: type[models.Model]) -> models.QuerySet:
    """Every row of `model` holding an ID number (inside unscoped(): the key is the whole database's)."""
    manager = model._default_manager
    every = manager.unscoped_all() if hasattr(manager, "unscoped_all") else manager.all()
    return every.exclude(id_number_encrypted="").order_by("pk")


def _batches(model, batch_size: int) -> Iterator[list[int]]:
    last = 0
    while True:
        with unscoped():
            ids = list(_rows(model).filter(pk__gt=last).values_list("pk", flat=True)[:batch_size])
        if not ids:
            return
        yield ids
        last = ids[-1]


def id_key_rotate(
    *, old_key: str, new_key: str, batch_size: int = 1000, progress: Callable[[str], None] = lambda _m: None
) -> dict[str, int]:
    """Re-encrypt every stored ID number from `old_key` to `new_key`; {model label: rows rotated}.

    One transaction per batch; a row already under the new key is left alone, so a run that stopped halfway
    is finished by running it again. Run it with the site stopped: until GRASSROOTS_ID_KEY names the new key,
    the rows already rotated cannot be read.
    """
    id_key.check_key(old_key)
    id_key.check_key(new_key)
    done: dict[str, int] = {}
    for model in models_with_id_numbers():
        label = model._meta.label
        done[label] = 0
        for ids in _batches(model, batch_size):
            with transaction.atomic(), unscoped():
                changed = []
                for row in _rows(model).filter(pk__in=ids).select_for_update():
                    rotated = id_key.reencrypt(row.id_number_encrypted, old_key=old_key, new_key=new_key)
                    if rotated is None:
                        continue
                    row.id_number_encrypted, row.id_number_hash, row.id_number_tail_hash = rotated
                    changed.append(row)
                _rows(model).bulk_update(changed, FIELDS)
                for row in changed:
                    record(
                        actor=None,
                        action=ACTION,
                        target=row,
                        org_id=getattr(row, "org_id", None),
                        changes={},
                    )
            done[label] += len(changed)
            progress(f"{label}: {done[label]} rotated")
    return done
