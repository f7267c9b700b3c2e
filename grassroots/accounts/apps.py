from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "grassroots.accounts"
    label = "accounts"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from grassroots.core import citations
        from grassroots.core.scoping import register_user_scope

        from . import citations as accounts_citations
        from .selectors import scope_for_user
        from .signin import on_logged_in

        register_user_scope(scope_for_user)
        citations.register(accounts_citations.SOURCES)
        user_logged_in.connect(on_logged_in, dispatch_uid="accounts.signin")
