"""A base for management commands: the caller's scope from --as-user, rule violations as clean exits."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from .citations import plain_message
from .errors import NotFound, RuleViolation
from .scoping import Scope, scope_of_user


class ScopedCommand(BaseCommand):
    """Runs `handle_scoped(scope, actor, **options)`.

    Without --as-user the command acts as the operator of the installation (the whole tree); with it, it sees
    exactly what that user's grants allow, as the web and the API would.
    """

    def add_arguments(self, parser):
        parser.add_argument(
            "--as-user", dest="as_user", help="act with this user's grants (default: operator)"
        )

    def handle(self, *args, **options):
        actor = None
        scope = Scope.system(label="operator")
        if options.get("as_user"):
            actor = get_user_model().objects.filter(username=options["as_user"], is_active=True).first()
            if actor is None:
                raise CommandError(f"no active user {options['as_user']!r}")
            scope = scope_of_user(actor)
        try:
            return self.handle_scoped(scope, actor, *args, **options)
        except RuleViolation as exc:
            raise CommandError(f"{exc.rule_id}: {plain_message(exc.message, exc.rule_id)}") from exc
        except NotFound as exc:
            raise CommandError("not found (or outside your scope)") from exc
        except PermissionDenied as exc:
            raise CommandError("permission denied") from exc

    def handle_scoped(self, scope: Scope, actor, *args, **options):  # pragma: no cover - abstract
        raise NotImplementedError
