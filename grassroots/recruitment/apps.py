from django.apps import AppConfig
from django.db.models.signals import post_migrate

# The migration that added the stored milestone dates: after it runs, `migrate` fills them.
MILESTONES_MIGRATION = ("recruitment", "0004_stored_milestones")


def fill_milestones_after_their_migration(sender, plan=None, **kwargs) -> None:
    """After `migrate` applied MILESTONES_MIGRATION: store the milestone dates of the dossiers that existed
    before the fields did, through the current code on the fully migrated schema."""
    applied = {(m.app_label, m.name) for m, backwards in plan or () if not backwards}
    if MILESTONES_MIGRATION in applied:
        from . import services

        services.milestones_refresh()


def fill_missing_next_steps(sender, using="default", **kwargs) -> None:
    """After `migrate`: store the next steps of open dossiers that have none yet (dossiers that existed before
    the fields did, or were loaded by a raw import). Runs through the current code on the fully migrated
    schema, which a data migration could not promise; a no-op (one query) when nothing is missing."""
    from grassroots.core.scoping import Scope, unscoped

    from . import rules, services
    from .models import Applicant

    with unscoped():
        missing = (
            Applicant.objects.unscoped_all()
            .using(using)
            .exclude(stage__in=rules.TERMINAL)
            .filter(next_computed_on__isnull=True)
            .exists()
        )
    if missing:
        services.next_steps_refresh(scope=Scope.system(label="migrate"))


class RecruitmentConfig(AppConfig):
    name = "grassroots.recruitment"
    label = "recruitment"

    def ready(self) -> None:
        from . import registrations

        registrations.register()
        post_migrate.connect(fill_missing_next_steps, sender=self, dispatch_uid="recruitment_next_steps")
        post_migrate.connect(
            fill_milestones_after_their_migration, sender=self, dispatch_uid="recruitment_milestones"
        )
