"""Resident identity numbers (居民身份证号码) as defined by GB 11643-1999.

18 characters: 6-digit address code, 8-digit birth date, 3-digit sequence (odd = male, even = female),
and a check character computed with ISO 7064 MOD 11-2 (X stands for 10).

The address code (GB/T 2260) is the county where the number was first issued, kept for life even after the
county's code changed, so current codes alone would refuse real numbers. What is checked is what no edition
of GB/T 2260 ever allowed: the first two digits name a province-level division (`PROVINCES`: the 34 of
today, which are also every province-level code GB/T 2260 has used since 1980, plus 83, which residence
permits of Taiwan residents carry), and a code whose prefecture part is 00 is the province's own (xx0000),
never followed by a county part (110001 names nothing). Prefecture-level codes (441900, 东莞市, whose
county part is 00) are real address codes and pass.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
# Province-level divisions (GB/T 2260): 11–15 North, 21–23 Northeast, 31–37 East, 41–46 Central South,
# 50–54 Southwest, 61–65 Northwest, 71 Taiwan, 81 Hong Kong, 82 Macao; 83: residence permits of Taiwan
# residents (港澳台居民居住证, whose Hong Kong and Macao permits carry 81 and 82).
PROVINCES = frozenset(
    ("11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42",
     "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82", "83")
)  # fmt: skip


class InvalidIdNumber(ValueError):
    """Carries a short reason code: length, chars, region, birth_date, checksum."""

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


# A partial ID number a search accepts: its last four characters, as a secretary reads them off a paper form.
# The masked form does not show them (mask); a record keeps a keyed hash of them (core.crypto.tail_hash) in
# an indexed column, and the search matches only records whose ID number the caller may read in clear, so
# that searching cannot be used to guess a number (members.selectors.search_q). Any other part is not
# searchable: the number is stored encrypted, with a keyed hash of the whole number and of its tail only.
TAIL_LENGTH = 4


def tail_query(text: str) -> str | None:
    """The last four characters of an ID number when `text` is one ("1234", "123x" → "123X"), else None."""
    tail = normalize(text)
    digits = tail[:3].isascii() and tail[:3].isdigit()
    last = tail[3:] == "X" or (tail[3:].isascii() and tail[3:].isdigit())
    return tail if len(tail) == TAIL_LENGTH and digits and last else None


def full_query(text: str) -> bool:
    """Whether `text` (normalized) is shaped like a whole ID number: 17 digits and a digit or X."""
    return (
        len(text) == 18
        and text[:17].isascii()
        and text[:17].isdigit()
        and (text[17].isdigit() or text[17] in "Xx")
    )


def is_known_region(code: str) -> bool:
    """Whether a 6-digit address code can be one (module docstring): a province-level division, and no county
    part under the province's own code."""
    return code[:2] in PROVINCES and not (code[2:4] == "00" and code[4:] != "00")


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
    if not is_known_region(number[:6]):
        raise InvalidIdNumber("region")
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


# What the masked form keeps: the region code (the first six characters). It hides the birth date (digits
# 7-14), the sequence (15-17, whose last digit is the sex) and the check character. The pages, API answers and
# exports that show a masked number may show beside it the birth date, the sex, the native place and the
# age; with all of those known, the three sequence digits less their known parity leave 500 numbers, each
# with its own check character, since the check character is hidden too (docs/architecture.md, "Personal
# data"). Any one more character shown would cut that to about 50: the masked form shows none of them.
MASK_KEEP = 6


def mask(number: str) -> str:
    """110101************: the one masked form of an ID number, wherever a masked number is shown or stored."""
    if len(number) <= MASK_KEEP:
        return "*" * len(number)
    return number[:MASK_KEEP] + "*" * (len(number) - MASK_KEEP)


def legacy_mask(number: str) -> str:
    """The masked form stored before: the region and the last four (110101********1234). Kept only to prove
    that it could be rebuilt (tests) and to read rows a data migration has not rewritten yet."""
    if len(number) < 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def make(region: str, birth: dt.date, sequence: int) -> str:
    """Build a valid number (demo data and tests). `sequence` 0-999; odd for men, even for women."""
    first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return first17 + check_character(first17)
