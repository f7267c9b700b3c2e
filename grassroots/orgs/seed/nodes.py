"""A planned org of the demo tree and how the tree builder adds one, with its treebeard path computed here.

`Node` is an org as the seed plans it (path, code, names, unit, founding, the flavor behind a deliberate flaw,
the members it will hold, its children). `NodeBuilder.add` gives a new node its path (treebeard's base-36
steps, `path_step`), its code (the region code plus a 4-digit serial), a founding date, an approving document
and a phone; `place` draws place names not used yet in the tree; `branch`, `sub_branches` and `numbered` name
branches after their unit. The shapes of a county (`county.CountyBuilder`) and of the upper levels
(`tree.TreeBuilder`) are built on it.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from . import vocab

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEPLEN = 4
NUMERALS = "一二三四五六七八九十"

# Mean members held directly by a branch, by unit kind, before scaling to the member target.
BRANCH_WEIGHT = {
    "village": 21,
    "community": 40,
    "government": 20,
    "institution": 26,
    "school": 26,
    "state_enterprise": 24,
    "private_enterprise": 8,
    "social_org": 7,
    "other": 10,
}


def path_step(n: int) -> str:
    """The n-th (1-based) child key: treebeard's base-36, zero-padded to STEPLEN."""
    out = ""
    while n:
        n, r = divmod(n, 36)
        out = ALPHABET[r] + out
    return out.rjust(STEPLEN, "0")


def numeral(n: int) -> str:
    if n <= 10:
        return NUMERALS[n - 1]
    if n < 20:
        return "十" + NUMERALS[n - 11]
    tens, ones = divmod(n, 10)
    return NUMERALS[tens - 1] + "十" + (NUMERALS[ones - 1] if ones else "")


@dataclass(slots=True)
class Node:
    id: int
    path: str
    code: str
    name: str
    kind: str
    unit_kind: str
    unit_name: str = ""
    short_name: str = ""
    unit_relation: str = "legal_entity"
    is_joint: bool = False
    founded_on: dt.date | None = None
    approved_by: str = ""
    phone: str = ""
    region: str = ""
    place: str = ""  # address prefix for the members' addresses
    flavor: str = ""  # "", "small", "large", "students": who the branch holds
    term_flavor: str = ""  # "", "overdue", "vacant": the state of its committee
    weight: float = 0.0
    size: int = 0  # members held directly
    vacant_since: dt.date | None = None
    joint_units: tuple[str, ...] = ()
    children: list[Node] = field(default_factory=list)

    @property
    def depth(self) -> int:
        return len(self.path) // STEPLEN


class NodeBuilder:
    def __init__(self, rng: random.Random, as_of: dt.date):
        self.rng = rng
        self.as_of = as_of
        self.nodes: list[Node] = []
        self._serial: dict[str, int] = {}
        self._used_places: set[str] = set()

    # -- helpers -------------------------------------------------------------------------------------
    def place(self) -> str:
        """A two-syllable place name not used yet in this tree (falls back to three syllables)."""
        rng = self.rng
        for _ in range(50):
            name = rng.choice(vocab.PLACE_A) + rng.choice(vocab.PLACE_B)
            if name not in self._used_places:
                self._used_places.add(name)
                return name
        while True:
            name = rng.choice(vocab.PLACE_A) + rng.choice(vocab.PLACE_A) + rng.choice(vocab.PLACE_B)
            if name not in self._used_places:
                self._used_places.add(name)
                return name

    def add(self, parent: Node | None, kind: str, name: str, unit_kind: str, region: str, **fields) -> Node:
        serial = self._serial.get(region, 0) + 1
        self._serial[region] = serial
        if parent is None:
            path = path_step(1 + sum(1 for n in self.nodes if n.depth == 1))
        else:
            path = parent.path + path_step(len(parent.children) + 1)
        rng = self.rng
        if "founded_on" not in fields:
            first = 1950 if unit_kind in ("village", "government") else 1980
            if unit_kind in ("private_enterprise", "social_org"):
                first = 2000
            year = rng.randint(first, self.as_of.year - 2)
            fields["founded_on"] = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
        node = Node(
            id=len(self.nodes) + 1,
            path=path,
            code=f"{region}{serial:04d}",
            name=name,
            kind=kind,
            unit_kind=unit_kind,
            region=region,
            **fields,
        )
        if not node.approved_by and parent is not None:
            approver = parent.short_name or parent.name.removeprefix("中共")[:8]
            node.approved_by = f"{approver}〔{node.founded_on.year}〕{rng.randint(1, 60)}号"
        if not node.phone and kind != "group":
            node.phone = f"0{region[2:4]}{rng.randint(1, 9)}-{rng.randint(2000000, 8999999)}"
        if kind == "branch":
            node.weight = BRANCH_WEIGHT.get(unit_kind, 10)
        if parent is not None:
            parent.children.append(node)
            if not node.place:
                node.place = parent.place
        self.nodes.append(node)
        return node

    def branch(self, parent: Node, label: str, unit_kind: str, region: str, **fields) -> Node:
        """A branch named after its unit: 中共{label}支部委员会 (the suffix is fixed once sizes are known)."""
        return self.add(parent, "branch", f"中共{label}支部委员会", unit_kind, region, **fields)

    def sub_branches(self, parent: Node, prefix: str, labels, unit_kind: str, region: str) -> None:
        for label in labels:
            b = self.branch(
                parent,
                f"{prefix}{label}",
                unit_kind,
                region,
                short_name=f"{label}支部",
                unit_name=parent.unit_name,
                unit_relation="same_as_parent",
            )
            if "退休" in label:
                b.flavor = "retirees"
                b.weight *= 1.5

    def numbered(self, n: int, suffix: str = "") -> list[str]:
        return [f"第{numeral(i)}{suffix}" for i in range(1, n + 1)]
