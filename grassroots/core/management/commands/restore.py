"""`grassroots restore BACKUP_DIR [--database-url URL] [--data-dir DIR] [--documents-dir DIR] [--force]`:
restore a backup written by `grassroots backup` and verify it (row counts, checksums, the audit chain)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import get_commands
from django.core.management.base import BaseCommand, CommandError

from grassroots.core import backups


class Command(BaseCommand):
    help = (
        "Restore a backup directory into the database (the configured one, or --database-url) and the data "
        "and documents directories, then verify: every checksum of the backup before anything is written, "
        "the row count of every table and the checksum of every file afterwards, and `audit_verify` on the "
        "restored database. Exits non-zero at the first difference."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "source", help="a backup directory (grassroots-<time>/) written by `grassroots backup`"
        )
        parser.add_argument("--database-url", help="restore into this database instead of the configured one")
        parser.add_argument(
            "--data-dir", help="restore the data directory's files here (default: the configured)"
        )
        parser.add_argument("--documents-dir", help="restore the documents here (default: the configured)")
        parser.add_argument(
            "--force", action="store_true", help="replace the contents of a non-empty database"
        )
        parser.add_argument(
            "--no-audit-verify", action="store_true", help="skip `audit_verify` after the restore"
        )

    def handle(self, *args, **options):
        url = options["database_url"] or backups.url_of()
        data_dir = Path(options["data_dir"] or settings.DATA_DIR)
        roots = backups.Roots(
            data_dir=data_dir, documents_dir=Path(options["documents_dir"] or settings.DOCUMENTS_DIR)
        )
        try:
            manifest = backups.restore(Path(options["source"]), roots, url, force=options["force"])
        except backups.BackupError as e:
            raise CommandError(str(e)) from e
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"restored and verified: {len(manifest['tables'])} tables, {rows} rows, "
            f"{len(manifest['files'])} files (backup of {manifest['created']})"
        )
        if options["no_audit_verify"] or "audit_verify" not in get_commands():
            return
        # In its own process, against the restored database and data directory (its checkpoints).
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "GRASSROOTS_DATA_DIR": str(data_dir),
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE") or settings.SETTINGS_MODULE,
        }
        done = subprocess.run(
            [sys.executable, "-m", "grassroots", "audit_verify"], env=env, capture_output=True, text=True
        )
        self.stdout.write(done.stdout.strip())
        if done.returncode:
            raise CommandError(f"audit_verify failed on the restored database: {done.stderr.strip()}")
