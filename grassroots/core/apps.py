from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "grassroots.core"
    label = "core"

    def ready(self) -> None:
        from . import derived

        # One receiver for every derived table the apps register (core.derived): it fills them in their
        # dependency order once per `migrate`, after the whole schema is in place.
        post_migrate.connect(derived.fill_after_migrate, dispatch_uid="grassroots_derived_fill")
