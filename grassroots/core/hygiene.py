"""Input hygiene, once for every input (docs/architecture.md, "Input hygiene"; rules INPUT-TEXT, INPUT-INT,
INPUT-DATE in docs/rules.md).

What is refused, wherever it comes from:
- **text** (INPUT-TEXT): the C0 control characters except tab, line feed and carriage return (NUL among them),
  DEL and the C1 controls, lone surrogates, the byte-order mark and the noncharacters U+FFFE/U+FFFF, and the
  invisible characters that make one text look like another (zero-width space U+200B, the directional marks
  U+200E/U+200F and the directional embeddings, overrides and isolates U+202A–U+202E, U+2066–U+2069);
- **integers** (INPUT-INT): any integer outside a signed 64-bit column (an id, a count that overflows the
  database); counts have their own, smaller bound (`MAX_COUNT`) where they are read;
- **dates** (INPUT-DATE): a date is plausible for its field, named by the field's name (`DATE_FIELDS`):
  a birth date between 1900-01-01 and today; a recorded act (a letter issued, received, returned …) between
  1921-07-01 and today; an admission, conversion or application from 1921-07-01 (their future is refused by
  REC-NOT-FUTURE), an election or an approval from 1921-07-01 (their future: ORG-TERM); any other date between 1900-01-01 and `PLANNED_YEARS` years from today.

Applied centrally: `core.middleware.InputHygieneMiddleware` (every path and query string, pages and API, and
every JSON body of the API), the API's parser (`HygieneParser`: every query and form of every operation, with
its dates), `core.http.form_call`
(the cleaned data of every form run through a service) and the recruitment step's payload parser.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.parser import Parser

from .errors import RuleViolation

INPUT_TEXT = "INPUT-TEXT"
INPUT_INT = "INPUT-INT"
INPUT_DATE = "INPUT-DATE"
INPUT_SIZE = "INPUT-SIZE"

_REFUSED = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069"
    "\ufeff\ufffe\uffff]"
)

BIGINT_MAX = 2**63 - 1
# A count of people, days, hours or months entered by hand: far above any real one, far below any column's limit.
MAX_COUNT = 100_000

PARTY_FOUNDED = dt.date(1921, 7, 1)
EARLIEST_BIRTH = dt.date(1900, 1, 1)
EARLIEST_DATE = dt.date(1900, 1, 1)
PLANNED_YEARS = 10

BIRTH = "birth"
PAST_ACT = "past_act"
# An act whose future a domain rule refuses with its own id (REC-NOT-FUTURE, ORG-TERM): only its past is bounded.
SINCE_1921 = "since_1921"
ANY = "any"

# Date fields by name, wherever they are sent (API bodies, forms, step payloads). A name not listed is ANY.
DATE_FIELDS: dict[str, str] = {
    "birth_date": BIRTH,
    # members: the record's past acts
    "admitted_on": SINCE_1921,
    "converted_on": SINCE_1921,
    "started_work_on": PAST_ACT,
    "mobile_since": PAST_ACT,
    "lost_contact_since": PAST_ACT,
    "ended_on": PAST_ACT,
    # transfers: the letter, its receipt, its return, its cancellation
    "issued_on": PAST_ACT,
    "received_on": PAST_ACT,
    "returned_on": PAST_ACT,
    "cancelled_on": PAST_ACT,
    # recruitment: the application (its steps' day, `on`, shares its name with days that may lie ahead: a
    # calendar's holidays, a policy's day; REC-NOT-FUTURE bounds it)
    "applied_on": SINCE_1921,
    # orgs: an election held, an approval given (their future: ORG-* rules)
    "elected_on": SINCE_1921,
    "approved_on": SINCE_1921,
    # meetings and talks: the day one took place (a planned day, `planned_on`, may lie ahead)
    "held_on": PAST_ACT,
}


def refused_character(text: str) -> str | None:
    """The first refused character of `text`, or None."""
    found = _REFUSED.search(text)
    return found[0] if found else None


def check_text(value: str, *, field: str | None) -> None:
    """INPUT-TEXT when `value` holds a refused character."""
    char = refused_character(value)
    if char is not None:
        raise RuleViolation(
            INPUT_TEXT,
            _("输入有误：%(field)s 含有不允许的控制字符或不可见字符（U+%(code)04X）")
            % {"field": field or "", "code": ord(char)},
            field=field,
        )


def check_int(
    value: int, *, field: str | None, maximum: int = BIGINT_MAX, minimum: int | None = None
) -> None:
    """INPUT-INT when `value` lies outside [minimum (default -maximum), maximum]."""
    low = -maximum if minimum is None else minimum
    if not low <= value <= maximum:
        raise RuleViolation(
            INPUT_INT,
            _("输入有误：%(field)s 超出允许范围（%(low)s～%(high)s）")
            % {"field": field or "", "low": low, "high": maximum},
            field=field,
        )


def date_range(field: str | None, *, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The plausible dates of a field, both ends included."""
    today = today or timezone.localdate()
    kind = DATE_FIELDS.get(field or "", ANY)
    if kind == BIRTH:
        return EARLIEST_BIRTH, today
    planned = today.replace(year=today.year + PLANNED_YEARS, day=min(today.day, 28))
    if kind == PAST_ACT:
        return PARTY_FOUNDED, today
    if kind == SINCE_1921:
        return PARTY_FOUNDED, planned
    return EARLIEST_DATE, planned


def check_date(value: dt.date, *, field: str | None, today: dt.date | None = None) -> None:
    """INPUT-DATE when `value` is not a plausible date for `field`."""
    low, high = date_range(field, today=today)
    if not low <= value <= high:
        raise RuleViolation(
            INPUT_DATE,
            _("输入有误：%(field)s 的日期 %(day)s 不在合理范围内（%(low)s 至 %(high)s）")
            % {
                "field": field or "",
                "day": value.isoformat(),
                "low": low.isoformat(),
                "high": high.isoformat(),
            },
            field=field,
        )


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def check_value(value: Any, *, field: str | None) -> None:
    """One input value: text, integer or date (a date object, or a text that is exactly an ISO date, as JSON
    and query strings carry dates)."""
    if isinstance(value, str):
        check_text(value, field=field)
        if _ISO_DATE.fullmatch(value):
            try:
                day = dt.date.fromisoformat(value)
            except ValueError:
                return  # not a date: the schema says so
            check_date(day, field=field)
    elif isinstance(value, bool):
        return
    elif isinstance(value, int):
        check_int(value, field=field)
    elif isinstance(value, dt.datetime):
        return
    elif isinstance(value, dt.date):
        check_date(value, field=field)


def check_tree(data: Any, *, field: str | None = None) -> None:
    """Every value of a parsed input (dicts, lists, scalars): keys as text, values by `check_value`; the
    field named in a refusal is the nearest key."""
    if isinstance(data, Mapping):
        for key, value in data.items():
            check_text(str(key), field=field)
            check_tree(value, field=str(key))
    elif isinstance(data, list | tuple):
        for value in data:
            check_tree(value, field=field)
    else:
        check_value(data, field=field)


class HygieneParser(Parser):
    """django-ninja's parser, with every parsed query and form checked by `check_tree`. (A JSON body is checked
    by `core.middleware.InputHygieneMiddleware` before the operation runs: django-ninja answers any error of
    `parse_body` with a bare 400.)"""

    def parse_querydict(self, data, list_fields, request):
        result = super().parse_querydict(data, list_fields, request)
        check_tree(result)
        return result
