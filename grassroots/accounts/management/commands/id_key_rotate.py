"""`grassroots id_key_rotate --new-key-file FILE [--batch-size N]`: re-encrypt and re-hash every stored ID
number under a new key (accounts.id_key_rotation; docs/operations.md, "Key rotation")."""

from __future__ import annotations

from pathlib import Path

from cryptography.fernet import InvalidToken
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from grassroots.accounts.id_key_rotation import id_key_rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt and re-hash every stored ID number from the current key (GRASSROOTS_ID_KEY) to the key in "
        "--new-key-file, in batches, each record's change audited. Stop the site first; afterwards set "
        "GRASSROOTS_ID_KEY to the new key and start it again. Safe to run again after an interruption."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--new-key-file",
            required=True,
            help="a file holding the new Fernet key (never on the command line, where `ps` shows it)",
        )
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args, **options):
        path = Path(options["new_key_file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        new_key = path.read_text(encoding="utf-8").strip()
        if new_key == settings.ID_NUMBER_KEY:
            raise CommandError("the new key is the key in use")
        try:
            done = id_key_rotate(
                old_key=settings.ID_NUMBER_KEY,
                new_key=new_key,
                batch_size=options["batch_size"],
                progress=lambda line: self.stdout.write(line) if options["verbosity"] > 1 else None,
            )
        except ValueError as e:
            raise CommandError(f"not a Fernet key (urlsafe base64 of 32 bytes): {e}") from e
        except InvalidToken as e:
            raise CommandError("a stored ID number opens with neither the current key nor the new one") from e
        for label, n in done.items():
            self.stdout.write(f"{label}: {n} ID numbers re-encrypted")
        self.stdout.write("now set GRASSROOTS_ID_KEY to the new key and restart the site")
