from grassroots.core import permissions


def scope(request):
    """The caller's scope, and what the navigation offers them (evaluated only when a template asks)."""
    current = getattr(request, "scope", None)

    def may_edit_members() -> bool:
        if current is None or not getattr(request, "user", None) or not request.user.is_authenticated:
            return False
        return not current.with_roles(permissions.MEMBER_EDIT).is_empty

    return {"scope": current, "may_edit_members": may_edit_members}
