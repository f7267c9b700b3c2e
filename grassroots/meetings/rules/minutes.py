"""Minutes (会议记录): MTG-MINUTES-FINAL and MTG-MINUTES-LATE (local practice: 不得重抄、涂改或补记会议记录;
the project's own 7-day default for 补记).

Readings taken:
- The states are those of `meetings.choices.MinutesState`: `draft`, then `finalized` (the recorder) and
  `confirmed` (the chair). From `finalized` on, the minutes, the attendance and the votes they record never
  change (`change_check`); a correction is an amendment (text and reason, `amendment_check`) appended beside
  them, and both stay readable.
- Finalizing needs a meeting that has been held (its date today at the latest, else MTG-DATES) and some text.
- Late entry (补记): finalized more than `late_days` calendar days after the meeting (7 days after: on time;
  8: late). The mark is shown to everyone who reads the minutes; it refuses nothing.
- What a finalized record freezes is serialized canonically (`canonical_parts`): one part each for the text,
  the attendance and the votes, so a verifier that keeps a keyed digest of each part can say which one changed.
  The serialization is JSON with sorted keys, fixed separators, `ensure_ascii=False`, UTF-8; rows are sorted by
  their own serialization, so the order they are read in does not matter. No key and no hashing here: the
  caller computes the HMAC with the server's key.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping

from django.utils.translation import gettext as _

from grassroots.core.dates import cn_date

from .base import _refuse

MINUTES_DRAFT = "draft"
MINUTES_FINALIZED = "finalized"
MINUTES_CONFIRMED = "confirmed"
MINUTES_FINAL_STATES = frozenset({MINUTES_FINALIZED, MINUTES_CONFIRMED})
MINUTES_LATE_DAYS = 7  # MTG-MINUTES-LATE (policy default)
AMENDMENT_REASON_MAX = 200  # an amendment's reason, in characters

# The parts of a finalized record, in the order a verifier reports them.
RECORD_PARTS = ("text", "attendance", "votes")
RECORD_FORMAT_VERSION = 1

_Scalar = str | int | bool | None | dt.date


def is_late_entry(held_on: dt.date, finalized_on: dt.date, late_days: int = MINUTES_LATE_DAYS) -> bool:
    """MTG-MINUTES-LATE: whether minutes finalized on `finalized_on` are a late entry (补记): more than
    `late_days` calendar days after the meeting."""
    return (finalized_on - held_on).days > late_days


def finalize_check(held_on: dt.date, today: dt.date, has_text: bool, state: str) -> None:
    """Whether minutes may be finalized today: not already final (MTG-MINUTES-FINAL), the meeting held by
    today (MTG-DATES, field "held_on"), and some text written (MTG-MINUTES-FINAL, field "text")."""
    if state in MINUTES_FINAL_STATES:
        raise _refuse("MTG-MINUTES-FINAL", _("会议记录已定稿，不能再次定稿"), "state")
    if held_on > today:
        raise _refuse(
            "MTG-DATES",
            _("会议召开日期（%(date)s）还未到，会后才能定稿会议记录") % {"date": cn_date(held_on)},
            "held_on",
        )
    if not has_text:
        raise _refuse("MTG-MINUTES-FINAL", _("会议记录没有内容，不能定稿"), "text")


def change_check(state: str) -> None:
    """MTG-MINUTES-FINAL: the minutes, attendance and votes of a meeting whose minutes are final never change;
    a correction is an amendment."""
    if state in MINUTES_FINAL_STATES:
        raise _refuse(
            "MTG-MINUTES-FINAL",
            _("会议记录已定稿，会议记录、出席情况和表决结果不能修改；如需更正，请添加更正说明"),
        )


def amendment_check(text: str, reason: str) -> None:
    """MTG-MINUTES-FINAL: an amendment states the correction (`text`) and why (`reason`, at most 200
    characters); both are required."""
    if not text.strip():
        raise _refuse("MTG-MINUTES-FINAL", _("请填写更正内容"), "text")
    if not reason.strip():
        raise _refuse("MTG-MINUTES-FINAL", _("请填写更正原因"), "reason")
    if len(reason.strip()) > AMENDMENT_REASON_MAX:
        raise _refuse(
            "MTG-MINUTES-FINAL", _("更正原因不能超过%(max)d个字") % {"max": AMENDMENT_REASON_MAX}, "reason"
        )


def _scalar(value: object) -> _Scalar:
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    # Floats, datetimes and other values have no single canonical form here: the caller converts them.
    raise TypeError(f"cannot serialize {type(value).__name__} canonically")


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _rows(rows: Iterable[Mapping[str, object]]) -> list[dict[str, _Scalar]]:
    out = [{str(k): _scalar(v) for k, v in row.items()} for row in rows]
    return sorted(out, key=_dumps)


def _part(name: str, value: object) -> bytes:
    return _dumps({"part": name, "v": RECORD_FORMAT_VERSION, "value": value}).encode("utf-8")


def canonical_parts(
    text: str, attendance: Iterable[Mapping[str, object]], votes: Iterable[Mapping[str, object]]
) -> dict[str, bytes]:
    """The canonical bytes of each part a finalized record freezes: "text" (exactly as written), "attendance"
    and "votes" (rows of str / int / bool / None / date values; dates as ISO strings; any other value is a
    TypeError). Equal records give equal bytes whatever the order of rows or keys."""
    return {
        "text": _part("text", text),
        "attendance": _part("attendance", _rows(attendance)),
        "votes": _part("votes", _rows(votes)),
    }


def canonical_record(
    text: str, attendance: Iterable[Mapping[str, object]], votes: Iterable[Mapping[str, object]]
) -> bytes:
    """The whole record as one canonical byte string: its parts in `RECORD_PARTS` order, one per line."""
    parts = canonical_parts(text, attendance, votes)
    return b"\n".join(parts[name] for name in RECORD_PARTS)


def changed_parts(frozen: Mapping[str, bytes], current: Mapping[str, bytes]) -> list[str]:
    """The names of the parts that differ between two sets of part digests (or bytes), in `RECORD_PARTS` order."""
    return [name for name in RECORD_PARTS if frozen.get(name) != current.get(name)]
