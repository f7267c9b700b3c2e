"""Writes on recruitment dossiers, split by sub-domain; every name is importable from here. One transaction
each, permission checked, rules applied, audit recorded.

- `dossiers`: open a dossier (`applicant_create`), keep its documents (`dossier_document_attach`).
- `steps`: record a step (`event_record`), with its effect on the member record.
- `corrections`: void a wrongly recorded step by a correction entry (`event_void`, REC-VOID).
- `policies`: set a subtree's recruitment policy (`policy_set`).
- `next_steps`: the stored next steps and milestone dates, and their batch refreshes.
"""

from .corrections import event_void
from .dossiers import AUDITED_FIELDS, applicant_create, dossier_document_attach
from .next_steps import (
    REFRESH_BATCH,
    Refreshed,
    milestones_refresh,
    next_steps_calendar_refresh,
    next_steps_refresh,
)
from .policies import POLICY_INT_FIELDS, POLICY_MAX_VALUE, policy_set
from .steps import Upload, event_record

__all__ = [
    "AUDITED_FIELDS",
    "POLICY_INT_FIELDS",
    "POLICY_MAX_VALUE",
    "REFRESH_BATCH",
    "Refreshed",
    "Upload",
    "applicant_create",
    "dossier_document_attach",
    "event_record",
    "event_void",
    "milestones_refresh",
    "next_steps_calendar_refresh",
    "next_steps_refresh",
    "policy_set",
]
