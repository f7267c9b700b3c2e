from django.apps import AppConfig
from django.db.models.signals import post_migrate

# The migration that added the stored warnings: after it runs, `migrate` fills them.
WARNINGS_MIGRATION = ("orgs", "0002_org_warning_state")


def fill_warnings_after_their_migration(sender, plan=None, **kwargs) -> None:
    """After `migrate` applied WARNINGS_MIGRATION: compute the warnings of the orgs that existed before the
    table did, through the current code on the fully migrated schema. The member counts are read from the
    maintained member figures, whose own hook (members/apps.py) would run after this one: it is run first
    here (it fills only when its migration was applied and the figures are empty, so it runs once)."""
    applied = {(m.app_label, m.name) for m, backwards in plan or () if not backwards}
    if WARNINGS_MIGRATION not in applied:
        return
    from django.utils import timezone

    from grassroots.core.scoping import unscoped
    from grassroots.members.apps import fill_figures_after_their_migration

    from . import warning_store
    from .models import OrgWarningState

    with unscoped():
        empty = not OrgWarningState.objects.unscoped_all().exists()
    if empty:
        fill_figures_after_their_migration(sender, plan=plan)
        warning_store.refresh_subtree(None, on=timezone.localdate())


class OrgsConfig(AppConfig):
    name = "grassroots.orgs"
    label = "orgs"

    def ready(self) -> None:
        from . import registrations

        registrations.register()
        post_migrate.connect(fill_warnings_after_their_migration, sender=self, dispatch_uid="orgs_warnings")
