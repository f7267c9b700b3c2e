"""Resident identity numbers (居民身份证号码) as defined by GB 11643-1999.

18 characters: 6-digit address code, 8-digit birth date, 3-digit sequence (odd = male, even = female),
and a check character computed with ISO 7064 MOD 11-2 (X stands for 10).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


class InvalidIdNumber(ValueError):
    """Carries a short reason code: length, chars, birth_date, checksum."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class IdNumberInfo:
    number: str
    region: str
    birth_date: dt.date
    sex: str  # "male" | "female"


def normalize(raw: str) -> str:
    return raw.strip().replace(" ", "").upper()


# A partial ID number a search accepts: its last four characters, the part the masked form shows (mask), so
# that searching by it reveals nothing the lists do not already show. Any other part is not searchable: the
# number is stored encrypted, with a keyed hash of the whole number only.
TAIL_LENGTH = 4


def tail_query(text: str) -> str | None:
    """The last four characters of an ID number when `text` is one ("1234", "123x" → "123X"), else None."""
    tail = normalize(text)
    digits = tail[:3].isascii() and tail[:3].isdigit()
    last = tail[3:] == "X" or (tail[3:].isascii() and tail[3:].isdigit())
    return tail if len(tail) == TAIL_LENGTH and digits and last else None


def check_character(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def parse(raw: str) -> IdNumberInfo:
    """Validate and decode an 18-character number; raise InvalidIdNumber with the reason."""
    number = normalize(raw)
    if len(number) != 18:
        raise InvalidIdNumber("length")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise InvalidIdNumber("chars")
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise InvalidIdNumber("birth_date") from exc
    if birth.year < 1900:
        raise InvalidIdNumber("birth_date")
    if check_character(number[:17]) != number[17]:
        raise InvalidIdNumber("checksum")
    sex = "male" if int(number[16]) % 2 == 1 else "female"
    return IdNumberInfo(number=number, region=number[:6], birth_date=birth, sex=sex)


def mask(number: str) -> str:
    """110101********1234: the region and the last four stay, as on printed rosters."""
    if len(number) < 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def make(region: str, birth: dt.date, sequence: int) -> str:
    """Build a valid number (demo data and tests). `sequence` 0-999; odd for men, even for women."""
    first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return first17 + check_character(first17)
