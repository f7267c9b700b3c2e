"""Recruitment pages (发展党员), split by sub-domain; every view is importable from here (urls.py).

- `boards`: the pipeline board of an org and its per-child table.
- `ledgers`: the ledger (发展党员台账).
- `dossiers`: opening a dossier, its page, the per-person summary, its documents.
- `steps`: the form that records one step.
- `corrections`: voiding a wrongly recorded step (the void form on the timeline).
- `policies`: the recruitment policy of an org.

Thin: the rules live in rules/ and are applied by the services; a refusal is shown with its rule id and
nothing is saved. What a page shows is arranged by `presenters`.
"""

from ..presenters import SUMMARY_OPTIONAL_STEPS, SUMMARY_STEPS
from .boards import BOARD_COLUMN_LIMIT, BOARD_PAGE_SIZE, board
from .corrections import event_void
from .dossiers import create, detail, document_upload, document_withdraw, summary
from .ledgers import LEDGER_PAGE_SIZE, ledger
from .policies import policy
from .steps import VOTE_KINDS, event

__all__ = [
    "BOARD_COLUMN_LIMIT",
    "BOARD_PAGE_SIZE",
    "LEDGER_PAGE_SIZE",
    "SUMMARY_OPTIONAL_STEPS",
    "SUMMARY_STEPS",
    "VOTE_KINDS",
    "board",
    "create",
    "detail",
    "document_upload",
    "document_withdraw",
    "event",
    "event_void",
    "ledger",
    "policy",
    "summary",
]
