from django.apps import AppConfig
from django.db.models.signals import post_migrate

# The migration that added the maintained member figures: after it runs, `migrate` fills them.
FIGURES_MIGRATION = ("members", "0004_org_member_figures")


def fill_figures_after_their_migration(sender, plan=None, **kwargs) -> None:
    """After `migrate` applied FIGURES_MIGRATION: count the members that existed before the table did, in one
    `INSERT … SELECT … GROUP BY`, through the current code on the fully migrated schema."""
    applied = {(m.app_label, m.name) for m, backwards in plan or () if not backwards}
    if FIGURES_MIGRATION not in applied:
        return
    from django.db import transaction

    from grassroots.core.scoping import unscoped

    from . import figures
    from .models import OrgMemberFigures

    with transaction.atomic(), unscoped():
        if not OrgMemberFigures.objects.unscoped_all().exists():
            figures.fill()


class MembersConfig(AppConfig):
    name = "grassroots.members"
    label = "members"

    def ready(self) -> None:
        from . import registrations

        registrations.register()
        post_migrate.connect(fill_figures_after_their_migration, sender=self, dispatch_uid="members_figures")
