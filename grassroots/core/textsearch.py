"""Prefix matches that an index serves on both engines (names, pinyin, initials).

PostgreSQL serves `LIKE 'p%'` from a `varchar_pattern_ops` index (Django adds one for every text column with
`db_index=True`; other columns name the opclass in their `Index`). SQLite's LIKE is case-insensitive and
skips indexes, so there the prefix becomes the binary range `p <= x < p'`, where p' is p with its last
character moved one code point up: exactly the strings that start with p, in the column's BINARY order
(UTF-8 bytes order as code points do), served by the column's ordinary index.

Search text is read through `normalize_query` first, wherever a list reads it: full-width letters, digits and
spaces typed with a Chinese input method (ＣＨＺ, １２３４, the ideographic space) become their half-width forms.
"""

from __future__ import annotations

import unicodedata

from django.db import connection
from django.db.models import Q


def normalize_query(text: str) -> str:
    """Search text as the lists match it: NFKC-normalised (ＣＨＺ → CHZ, full-width digits → digits, the
    ideographic space → a space), runs of spaces made one, no spaces at either end."""
    return " ".join(unicodedata.normalize("NFKC", text or "").split())


def prefix_q(field_name: str, prefix: str) -> Q:
    """Rows whose `field_name` starts with `prefix` (case-sensitive on both engines): an index range scan."""
    if not prefix:
        return Q()
    if connection.vendor == "postgresql":
        return Q(**{f"{field_name}__startswith": prefix})
    ceiling = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return Q(**{f"{field_name}__gte": prefix, f"{field_name}__lt": ceiling})
