from django.core.management.base import BaseCommand, CommandError

from grassroots.audit import verify

# Findings printed in full; the rest are counted by kind.
SHOWN = 50


class Command(BaseCommand):
    help = (
        "Check the audit trail: recompute every event's keyed hash, follow the links and compare with the signed "
        "checkpoints, then run the verifiers other apps registered (the seals of finalized meeting minutes). "
        "Names each event found edited, forged, unlinked, missing or truncated and each record that no longer "
        "matches its seal; exit status 1 then."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--since-checkpoint",
            action="store_true",
            help="start after the newest checkpoint whose event is still as signed (a quick nightly check)",
        )
        parser.add_argument(
            "--no-checkpoints", action="store_true", help="check the chain only, without the checkpoint file"
        )
        parser.add_argument(
            "--org",
            metavar="CODE",
            help="run the registered record verifiers on this org's subtree only (the audit chain is global)",
        )

    def handle(self, *args, **options):
        try:
            records = verify.run_verifiers(options.get("org"))
        except LookupError as exc:
            raise CommandError(f"unknown org code: {exc}") from exc
        report = verify.verify(
            use_checkpoints=not options["no_checkpoints"], since_checkpoint=options["since_checkpoint"]
        )
        for note in report.notes:
            self.stderr.write(f"note: {note}")
        start = report.started_after
        scope = f"after checkpoint line {start.line} (event {start.event_id}) " if start else ""
        summary = f"{report.checked} events read {scope}up to event {report.last_id}"
        summary += f", {report.checkpoints_read} checkpoints"
        for name, finding in records:
            self.stdout.write(f"{name} {finding.kind}: {finding.message}")
        if records:
            self.stdout.write(f"{len(records)} sealed records no longer match their seals")
        if report.ok:
            self.stdout.write(f"audit chain intact: {summary}")
            if records:
                raise CommandError(f"sealed records NOT intact ({len(records)} findings)")
            return
        for finding in report.findings[:SHOWN]:
            self.stdout.write(f"{finding.kind}: {finding.message}")
        hidden = sum(report.counts.values()) - min(len(report.findings), SHOWN)
        if hidden > 0:
            self.stdout.write(f"… and {hidden} more findings")
        kinds = ", ".join(f"{kind} {n}" for kind, n in sorted(report.counts.items()))
        if records:
            kinds += f"; sealed records: {len(records)} findings"
        raise CommandError(f"audit chain NOT intact ({kinds}): {summary}")
