from grassroots.core import menu


def scope(request):
    """The caller's scope, and the menu entries they may use (core.menu; built only when a template asks)."""
    return {"scope": getattr(request, "scope", None), "menu": lambda: menu.entries_for(request)}
