"""Reads on recruitment dossiers, split by sub-domain; every name is importable from here.

- `policies`: the recruitment policy in force for an org on a day.
- `timelines`: stored steps → the rules' timeline; next steps and milestone dates, and their stored form.
- `dossiers`: the dossier list and search, one dossier with its steps, documents and next steps.
- `boards`: the board, counts per stage and per child org, the to-do's due steps.
- `ledgers`: the ledger (发展党员台账).

Every function that reads rows takes the caller's scope. Payload parsing lives in `payloads`, display shaping
in `presenters`; both are re-exported here under their former names.
"""

from ..choices import BOARD_STAGES
from ..models import MILESTONE_FIELDS
from ..payloads import (
    API_VALIDATION,
    PEOPLE_FIELDS,
    ROSTER_COUNTS,
    ROSTER_FIELD,
    VOTE_FIELD,
    clean_payload,
    input_fields,
    stored_payload,
)
from ..presenters import EVENT_KEY, card_of, document_out, ledger_line, next_out
from .boards import (
    CARD_FIELDS,
    DueSteps,
    board_queryset,
    due_steps,
    orgs_with_open_stages,
    pipeline,
    pipeline_counts,
    stage_counts,
)
from .dossiers import (
    applicant_event_get,
    applicant_events,
    applicant_get,
    applicant_id_number,
    applicant_list,
    can_see_id_number,
    dossier,
    dossier_document_get,
    dossier_documents,
    dossier_of_member,
    search_q,
)
from .ledgers import ledger
from .policies import policy_for, policy_history, policy_of_row, policy_row, policy_rows_for, policy_values
from .timelines import (
    ELECTORATE,
    HAS_COMMITTEE,
    SPONSORS_AT_VOTE,
    build_event,
    milestones_of,
    next_for,
    next_of,
    roster_of,
    stored_next,
    timeline_from,
    timeline_of,
    vote_failed,
)

__all__ = [
    "API_VALIDATION",
    "BOARD_STAGES",
    "CARD_FIELDS",
    "ELECTORATE",
    "EVENT_KEY",
    "HAS_COMMITTEE",
    "MILESTONE_FIELDS",
    "PEOPLE_FIELDS",
    "ROSTER_COUNTS",
    "ROSTER_FIELD",
    "SPONSORS_AT_VOTE",
    "VOTE_FIELD",
    "DueSteps",
    "applicant_event_get",
    "applicant_events",
    "applicant_get",
    "applicant_id_number",
    "applicant_list",
    "board_queryset",
    "build_event",
    "can_see_id_number",
    "card_of",
    "clean_payload",
    "document_out",
    "dossier",
    "dossier_document_get",
    "dossier_documents",
    "dossier_of_member",
    "due_steps",
    "input_fields",
    "ledger",
    "ledger_line",
    "milestones_of",
    "next_for",
    "next_of",
    "next_out",
    "orgs_with_open_stages",
    "pipeline",
    "pipeline_counts",
    "policy_for",
    "policy_history",
    "policy_of_row",
    "policy_row",
    "policy_rows_for",
    "policy_values",
    "roster_of",
    "search_q",
    "stage_counts",
    "stored_next",
    "stored_payload",
    "timeline_from",
    "timeline_of",
    "vote_failed",
]
