"""`grassroots backup [--to DIR]`: the database and the data directory's files, with a manifest that
`grassroots restore` verifies (grassroots/core/backups.py, docs/operations.md "Backups and restore")."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from grassroots.core import backups


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump -Fc, or the SQLite backup API) and the data directory's files "
        "(documents, audit checkpoints; not the keys) into a new directory under --to, with a manifest of "
        "row counts and checksums. Safe while the site is serving."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--to",
            default=None,
            help="directory that receives the backup (default: $GRASSROOTS_BACKUP_DIR or <data dir>/backups)",
        )

    def handle(self, *args, **options):
        destination = Path(options["to"] or settings.BACKUP_DIR)
        roots = backups.Roots(
            data_dir=Path(settings.DATA_DIR),
            documents_dir=Path(settings.DOCUMENTS_DIR),
            exclude=[Path(settings.STATIC_ROOT)],
        )
        try:
            target, manifest = backups.backup(destination, roots)
        except backups.BackupError as e:
            raise CommandError(str(e)) from e
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"backup written: {target} ({manifest['engine']}, {len(manifest['tables'])} tables, {rows} rows, "
            f"{len(manifest['files'])} files)"
        )
