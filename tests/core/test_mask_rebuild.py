"""The mask itself (core.id_number.mask): with the birth date, the sex and the region known, the masked form
leaves 500 candidate numbers; the mask stored before (region and last four) left exactly one."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from grassroots.core import id_number
from tests.support.rebuild import ENOUGH, candidates


def sample_numbers(n: int = 40) -> list[tuple[str, dt.date, str]]:
    rng = random.Random(11643)
    out = []
    for _ in range(n):
        region = rng.choice(["110101", "370102", "440305", "510104", "650102"])
        birth = dt.date(1930, 1, 1) + dt.timedelta(days=rng.randrange(30000))
        sequence = rng.randrange(1000)
        number = id_number.make(region, birth, sequence)
        out.append((number, birth, "male" if sequence % 2 else "female"))
    return out


@pytest.mark.parametrize(("number", "birth", "sex"), sample_numbers())
def test_old_mask_rebuilds_to_exactly_one_number_when_birth_and_sex_are_shown(number, birth, sex):
    assert candidates(id_number.legacy_mask(number), birth=birth, sex=sex, regions=[]) == [number]


@pytest.mark.parametrize(("number", "birth", "sex"), sample_numbers())
def test_mask_leaves_hundreds_of_candidates_when_birth_sex_and_region_are_known(number, birth, sex):
    found = candidates(id_number.mask(number), birth=birth, sex=sex, regions=[])
    assert number in found and len(found) == 500 >= ENOUGH


def test_mask_shows_nothing_of_the_birth_date_sequence_or_check_character():
    number = id_number.make("110101", dt.date(1990, 5, 6), 123)
    assert id_number.mask(number) == "110101" + "*" * 12
