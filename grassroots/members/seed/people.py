"""Members of one org, as rows ready for COPY / executemany, and the names and ID numbers of demo people.

Each org's members come from their own random stream, seeded by (seed, org code), so an org's people do not
depend on the orgs generated before it; only ID-number collisions are resolved in path order.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
from functools import lru_cache

import pypinyin

from grassroots.core import crypto, id_number, pinyin
from grassroots.core.dates import add_years
from grassroots.orgs.seed import vocab as places
from grassroots.orgs.seed.tree import Node

from ..rules import DISCIPLINE_TERM_YEARS as DISCIPLINE_YEARS
from . import vocab

MEMBER_COLUMNS = (
    "id", "org_id", "party_group_id", "user_id", "name", "former_names", "name_pinyin", "name_initials",
    "name_sort", "sex",
    "ethnicity", "native_place", "birth_date", "id_number_encrypted", "id_number_hash", "id_number_masked",
    "id_number_tail_hash",
    "education", "occupation", "phone", "address", "unit_name", "work_post", "started_work_on", "admitted_on",
    "converted_on", "status", "joined_how", "is_mobile", "mobile_to", "mobile_since", "is_lost_contact",
    "lost_contact_since", "lost_contact_reason", "is_needy", "ended_on", "end_reason", "end_document",
    "disciplinary_probation_from", "disciplinary_probation_until", "created_at", "updated_at",
)  # fmt: skip

PROBATIONARY_SHARE = 0.03
DECEASED_SHARE = 0.003
LOST_CONTACT_SHARE = 0.003
DISCIPLINE_SHARE = 0.003  # full members under 留党察看 now (MEM-DISCIPLINE-TERM: one or two years)
LOST_REASONS = ("migrant_work", "unit_restructured", "graduated", "job_changed", "abroad", "moved", "other")
WORKING = frozenset({"civil_servant", "professional", "manager", "worker", "retiree"})


class Picker:
    """Weighted choice by bisecting precomputed cumulative weights (faster than random.choices)."""

    __slots__ = ("cum", "items", "total")

    def __init__(self, pairs):
        self.items = [p[0] for p in pairs]
        self.cum = list(itertools.accumulate(p[-1] for p in pairs))
        self.total = self.cum[-1]

    def __call__(self, rng: random.Random):
        return self.items[bisect.bisect_right(self.cum, rng.random() * self.total)]


_SURNAME = Picker(vocab.SURNAMES)
_MINORITY = Picker(vocab.MINORITIES)
_OCCUPATION = {k: Picker(v) for k, v in vocab.OCCUPATION_BY_UNIT.items()}
_AGE = {k: Picker([((lo, hi), w) for lo, hi, w in v]) for k, v in vocab.AGE_BY_OCCUPATION.items()}
_EDUCATION = {k: Picker(v) for k, v in vocab.EDUCATION_BY_OCCUPATION.items()}
_ADMISSION_AGE = Picker([((18, 22), 25), ((23, 30), 45), ((31, 40), 22), ((41, 55), 8)])
# Ages at admission of the members admitted in the last year (the probationary members), as the statistics
# bulletins give them: about four in five of those admitted in a year are 35 or under, few are over 45.
# Nobody is admitted before about 19½: application at 18, a year as an activist, the candidate's steps.
_NEW_MEMBER_AGE = Picker(
    [((20, 25), 46), ((26, 30), 24), ((31, 35), 12), ((36, 45), 12), ((46, 55), 5), ((56, 60), 1)]
)
# Of members transferred in (joined_how "transferred_in"), the share whose ID number was issued elsewhere.
TRANSFERRED_FROM_ELSEWHERE = 0.4
NAME_TRIES = 20  # draws of a name until one no other member of the org bears


def _monophonic() -> dict[str, str]:
    """Name characters with a single toneless reading: a name made only of these reads the same character by
    character as pinyin.keys() reads it whole (checked on 200k names), at a fraction of the cost."""
    chars = {ch for s, _w in vocab.SURNAMES for ch in s} | set(vocab.GIVEN_MALE) | set(vocab.GIVEN_FEMALE)
    out = {}
    for ch in chars:
        readings = set(pypinyin.pinyin(ch, style=pypinyin.Style.NORMAL, heteronym=True)[0])
        if len(readings) == 1:
            out[ch] = readings.pop().lower()
    return out


_MONO = _monophonic()


@lru_cache(maxsize=1 << 20)
def sort_key(name: str) -> str:
    """`pinyin.sort_key(name)`, character by character for a name of single-reading characters (as `_name`
    composes its keys), cached per name."""
    if all(ch in _MONO for ch in name):
        return pinyin.SORT_SEPARATOR.join(_MONO[ch] for ch in name)
    return pinyin.sort_key(name)


_JOINED = Picker([("recruited", 72), ("transferred_in", 25), ("other", 3)])


class PeopleFactory:
    def __init__(self, seed: int, as_of: dt.date, now: dt.datetime):
        self.seed = seed
        self.as_of = as_of
        self.now = now
        self.next_id = 1
        self._issued: set[str] = set()
        self._pinyin: dict[str, tuple[str, str]] = {}
        self.latest_full_admission = as_of - dt.timedelta(days=366)

    # -- names ---------------------------------------------------------------------------------------
    def name(
        self, rng: random.Random, sex: str, ethnicity: str, taken: set[str] | None = None
    ) -> tuple[str, str, str]:
        """(name, full pinyin, initials). Han names are a weighted surname and one or two given characters.
        With `taken` (the names the org's people bear already), a name is drawn again until it is not in it
        (NAME_TRIES at most), and added to it."""
        made = self._name(rng, sex, ethnicity)
        if taken is not None:
            for _ in range(NAME_TRIES):
                if made[0] not in taken:
                    break
                made = self._name(rng, sex, ethnicity)
            taken.add(made[0])
        return made

    def _name(self, rng: random.Random, sex: str, ethnicity: str) -> tuple[str, str, str]:
        male = sex == "male"
        if ethnicity == "维吾尔族":
            # Own name · father's name: never the same name twice.
            given = rng.choice(vocab.UYGHUR_MALE if male else vocab.UYGHUR_FEMALE)
            father = rng.choice([n for n in vocab.UYGHUR_MALE if n != given])
            return self._whole(f"{given}·{father}")
        if ethnicity == "藏族":
            first, second = rng.sample(vocab.TIBETAN, 2)
            return self._whole(first + second)
        if ethnicity == "蒙古族" and rng.random() < 0.5:
            return self._whole(rng.choice(vocab.MONGOL_MALE if male else vocab.MONGOL_FEMALE))
        pool = vocab.GIVEN_MALE if male else vocab.GIVEN_FEMALE
        given = rng.choice(pool)
        if rng.random() < 0.72:
            given += rng.choice(pool)
        name = _SURNAME(rng) + given
        if all(ch in _MONO for ch in name):
            syll = [_MONO[ch] for ch in name]
            return name, "".join(syll), "".join(x[0] for x in syll)
        return self._whole(name)

    def _whole(self, name: str) -> tuple[str, str, str]:
        """Pinyin keys exactly as member_create computes them, cached per name (~100 µs per distinct name;
        composing cached surname and given-name readings is 15× faster but differs for ~0.03% of names)."""
        k = self._pinyin.get(name)
        if k is None:
            k = self._pinyin[name] = pinyin.keys(name)
        return name, k[0], k[1]

    def id_number(
        self, rng: random.Random, region: str, birth: dt.date, sex: str, *, elsewhere: bool = False
    ) -> str:
        """A number not issued yet, of `region` (the org's county), or of another region `elsewhere` (a member
        transferred in from another place)."""
        if elsewhere:
            region = rng.choice(vocab.OTHER_REGIONS)
        odd = 1 if sex == "male" else 0
        while True:
            seq = rng.randrange(1, 500) * 2 + odd
            number = id_number.make(region, birth, seq)
            if number not in self._issued:
                self._issued.add(number)
                return number

    # -- one org's members -----------------------------------------------------------------------------
    def members(self, node: Node, groups: list[int]):
        """Yield the member rows of `node`; afterwards `self.last` holds (id, converted_on, retiree) of its
        full members not under 留党察看 (those a committee is elected from, and mentors and sponsors chosen),
        and `self.last_roll` (name_pinyin, id, name, admitted_on, converted_on, ended_on,
        disciplinary_probation_from, disciplinary_probation_until) of every member who has been a full
        member (full, or full until ended_on), for vote rosters.

        A share of full members (`DISCIPLINE_SHARE`) is under 留党察看, from a day in the last year (not
        before their conversion) for one or two years (MEM-DISCIPLINE-TERM), drawn from a stream of its own
        so that the other members' data do not depend on it."""
        rng = random.Random(f"{self.seed}:{node.code}")
        discipline = random.Random(f"{self.seed}:discipline:{node.code}")
        as_of = self.as_of
        now = self.now
        full_info: list[tuple[int, dt.date, bool]] = []
        roll: list[tuple] = []
        self.last = full_info
        self.last_roll = roll
        occ_pick = _OCCUPATION.get(node.unit_kind, _OCCUPATION["other"])
        place = node.place
        native = place[:3]
        fixed_occ = {"students": "student", "retirees": "retiree"}.get(node.flavor)
        max_full = 2 if node.flavor == "small" else None
        n_full = 0
        names: set[str] = set()
        for i in range(node.size):
            mid = self.next_id
            self.next_id += 1
            occ = fixed_occ or occ_pick(rng)
            lo, hi = _AGE[occ](rng)
            age = rng.randint(lo, hi)
            sex = "female" if rng.random() < vocab.WOMEN_SHARE else "male"
            birth = as_of - dt.timedelta(days=age * 365 + age // 4 + rng.randrange(365))
            ethnicity = "汉族" if rng.random() >= vocab.MINORITY_SHARE else _MINORITY(rng)
            name, full_pinyin, initials = self.name(rng, sex, ethnicity, names)
            education = _EDUCATION[occ](rng)
            earliest = add_years(birth, 18)
            # Retirees are not admitted at random (a retirees' branch takes no new members).
            drawn = rng.random() < PROBATIONARY_SHARE and occ != "retiree"
            probationary = drawn or (max_full is not None and n_full >= max_full)
            if not probationary and earliest > self.latest_full_admission:
                probationary = True
            if probationary:
                # Admitted in the last year at the age new members are admitted at (a student at 20-23).
                admitted = as_of - dt.timedelta(days=rng.randrange(1, 365))
                a_lo, a_hi = (20, 23) if occ == "student" else _NEW_MEMBER_AGE(rng)
                age_then = rng.randint(a_lo, a_hi)
                birth = admitted - dt.timedelta(days=age_then * 365 + age_then // 4 + rng.randrange(365))
                converted = None
                status = "probationary"
            else:
                if occ == "student":
                    a_lo, a_hi = 18, 21
                else:
                    a_lo, a_hi = _ADMISSION_AGE(rng)
                admitted = birth + dt.timedelta(days=rng.randint(a_lo, a_hi) * 365 + rng.randrange(365))
                if admitted < earliest:
                    admitted = earliest + dt.timedelta(days=rng.randrange(30))
                if admitted > self.latest_full_admission:
                    span = (self.latest_full_admission - earliest).days
                    admitted = earliest + dt.timedelta(days=rng.randrange(span + 1))
                converted = add_years(admitted, 1)
                status = "full"
                n_full += 1
            joined = _JOINED(rng)
            elsewhere = joined == "transferred_in" and rng.random() < TRANSFERRED_FROM_ELSEWHERE
            number = self.id_number(rng, node.region, birth, sex, elsewhere=elsewhere)
            ended_on = None
            end_reason = ""
            watched_from = watched_until = None
            if status == "full" and occ == "retiree" and rng.random() < DECEASED_SHARE * 4:
                status = "deceased"
                ended_on = as_of - dt.timedelta(days=rng.randint(10, 700))
                end_reason = "病故"
            elif status == "full":
                if discipline.random() < DISCIPLINE_SHARE:
                    since = min(364, (as_of - converted).days)
                    watched_from = as_of - dt.timedelta(days=discipline.randint(0, since))
                    watched_until = add_years(watched_from, discipline.choice(DISCIPLINE_YEARS))
                else:
                    full_info.append((mid, converted, occ == "retiree"))
            if converted is not None:
                roll.append(
                    (sort_key(name), mid, name, admitted, converted, ended_on, watched_from, watched_until)
                )
            mobile = rng.random() < (0.06 if occ in ("farmer", "worker") else 0.015)
            lost = rng.random() < LOST_CONTACT_SHARE
            needy = rng.random() < (0.04 if occ in ("farmer", "retiree") else 0.005)
            if node.unit_kind == "village":
                address = f"{place}{rng.randint(1, 12)}组{rng.randint(1, 90)}号"
            else:
                address = f"{place}{rng.choice(places.PLACE_A)}{rng.choice(places.PLACE_B)}路{rng.randint(1, 300)}号"
            yield (
                mid,
                node.id,
                groups[i % len(groups)] if groups else None,
                None,
                name,
                "",
                full_pinyin,
                initials,
                sort_key(name),
                sex,
                ethnicity,
                native,
                birth,
                *crypto.protect_id_number(number),
                education,
                occ,
                f"1{rng.choice('35789')}{rng.randrange(10**9):09d}",
                address,
                "" if occ in ("retiree", "farmer") else node.unit_name,
                rng.choice(vocab.WORK_POSTS[occ]),
                add_years(birth, 22) if occ in WORKING and add_years(birth, 22) <= as_of else None,
                admitted,
                converted,
                status,
                joined,
                mobile,
                rng.choice(vocab.MOBILE_DESTINATIONS) if mobile else "",
                as_of - dt.timedelta(days=rng.randint(30, 900)) if mobile else None,
                lost,
                as_of - dt.timedelta(days=rng.randint(60, 900)) if lost else None,
                rng.choice(LOST_REASONS) if lost else "",
                needy,
                ended_on,
                end_reason,
                "",
                watched_from,
                watched_until,
                now,
                now,
            )
