"""What the meetings app registers with the lower layers (run once, from MeetingsConfig.ready())."""

from __future__ import annotations


def _verify_seals(org_code: str | None):
    """The audit verifier of the meeting seals: `grassroots audit_verify [--org CODE]` (LookupError: no such
    org)."""
    from grassroots.core.scoping import unscoped
    from grassroots.orgs.models import Org

    from .services import seals

    org = None
    if org_code:
        with unscoped():
            org = Org.objects.unscoped_all().filter(code=org_code).first()
        if org is None:
            raise LookupError(org_code)
    return seals.seals_verify(org)


def register() -> None:
    """Menu, to-do, org tabs, citations, derived tables and the audit verifier are added here."""
    from grassroots.audit.verify import register_verifier

    register_verifier("meeting-seals", _verify_seals)
