from django.core.management.base import BaseCommand, CommandError

from grassroots.audit.services import verify_chain


class Command(BaseCommand):
    help = "Check the audit trail's hash chain: any removed or edited event breaks it."

    def handle(self, *args, **options):
        checked, broken = verify_chain()
        if broken is not None:
            raise CommandError(f"audit chain broken at event {broken} ({checked} events read)")
        self.stdout.write(f"audit chain intact: {checked} events")
