from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "grassroots.accounts"
    label = "accounts"

    def ready(self):
        from grassroots.core import citations
        from grassroots.core.scoping import register_user_scope

        from . import citations as accounts_citations
        from .selectors import scope_for_user

        register_user_scope(scope_for_user)
        citations.register(accounts_citations.SOURCES)
