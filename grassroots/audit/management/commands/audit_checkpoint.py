from django.core.management.base import BaseCommand

from grassroots.audit import checkpoints


class Command(BaseCommand):
    help = (
        "Write a signed checkpoint of the audit trail's head to the checkpoint file (a nightly job), "
        "or print the latest checkpoints for paper."
    )

    def add_arguments(self, parser):
        parser.add_argument("--note", default="", help="a word kept with the checkpoint")
        parser.add_argument(
            "--restart",
            action="store_true",
            help="supersede the earlier checkpoints (after restoring an older backup; say why with --note)",
        )
        parser.add_argument("--print", action="store_true", help="print the latest checkpoints, write none")
        parser.add_argument("--html", action="store_true", help="with --print: an HTML page to print")
        parser.add_argument("--last", type=int, default=10, help="with --print: how many (default 10)")

    def handle(self, *args, **options):
        if options["print"]:
            reading = checkpoints.read()
            for number, why in reading.bad_lines:
                self.stderr.write(f"checkpoint line {number}: {why}")
            latest = reading.checkpoints[-max(options["last"], 1) :]
            self.stdout.write(checkpoints.printable(latest, as_html=options["html"]), ending="")
            return
        entry = checkpoints.checkpoint_write(note=options["note"], restart=options["restart"])
        self.stdout.write(
            f"checkpoint written to {checkpoints.checkpoint_file()}: event {entry['event_id']}, "
            f"{entry['count']} events"
        )
