"""The org tree of a demo county, city or province, with treebeard paths computed here (no per-node inserts).

Shape (2023 bulletin: ~88% of grassroots orgs are branches): the top committee holds working committees
(直属机关工委, 教育工委, 非公工委, 街道党工委), township committees with village branches and general branches,
institutions, schools and enterprises; branches may hold party groups. Codes are the region code of the
county (or city, province) plus a 4-digit serial: stable for a given seed.
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


class TreeBuilder:
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

    # -- a county (or district) --------------------------------------------------------------------------
    def county(self, parent: Node | None, region: str, cname: str, s: float, tiny: bool = False) -> Node:
        rng = self.rng
        root = self.add(
            parent,
            "committee",
            f"中共{cname}委员会",
            "government",
            region,
            short_name=f"{cname}委",
            unit_name=f"中共{cname}委员会",
            place=cname,
        )
        gov = cname[-1]  # 县 / 区 / 市

        def k(n: float, lo: int = 1) -> int:
            return max(lo, round(n * s))

        # 1. Organs under the organs' working committee.
        wc = self.add(
            root,
            "working_committee",
            f"中共{cname}直属机关工作委员会",
            "government",
            region,
            short_name=f"{gov}直机关工委",
            unit_name=f"{cname}直属机关",
        )
        organs = rng.sample(vocab.ORGANS, min(len(vocab.ORGANS), 3 if tiny else k(30)))
        for organ in organs:
            organ = organ.replace("县委", f"{gov}委")
            unit = f"{cname}{organ}"
            if organ in vocab.BIG_ORGANS and not tiny:
                c = self.add(wc, "committee", f"中共{unit}委员会", "government", region, unit_name=unit)
                self.sub_branches(
                    c, unit, rng.sample(vocab.ORGAN_BRANCHES, rng.randint(3, 5)), "government", region
                )
            elif rng.random() < 0.15 and not tiny:
                g = self.add(
                    wc, "general_branch", f"中共{unit}总支部委员会", "government", region, unit_name=unit
                )
                self.sub_branches(g, unit, self.numbered(rng.randint(2, 3)), "government", region)
            else:
                self.branch(wc, unit, "government", region, unit_name=unit, short_name=f"{organ}党支部")

        # 2. Schools under the education working committee.
        ewc = self.add(
            root,
            "working_committee",
            f"中共{cname}委教育工作委员会",
            "school",
            region,
            short_name="教育工委",
            unit_name=f"{cname}教育局",
        )
        for i in range(1, (1 if tiny else k(3)) + 1):
            unit = f"{cname}第{numeral(i)}中学"
            if tiny:
                self.branch(ewc, unit, "school", region, unit_name=unit)
                continue
            c = self.add(ewc, "committee", f"中共{unit}委员会", "school", region, unit_name=unit)
            self.sub_branches(c, unit, vocab.SCHOOL_BRANCHES[: rng.randint(4, 5)], "school", region)
        for _ in range(0 if tiny else k(6)):
            unit = f"{cname}{self.place()}中学"
            g = self.add(ewc, "general_branch", f"中共{unit}总支部委员会", "school", region, unit_name=unit)
            self.sub_branches(g, unit, [*self.numbered(rng.randint(1, 2)), "退休教师"], "school", region)
        for i in range(0 if tiny else k(10)):
            unit = f"{cname}实验小学" if i == 0 else f"{cname}{self.place()}小学"
            self.branch(ewc, unit, "school", region, unit_name=unit)

        # 3. Public institutions (hospitals and others) directly under the top committee.
        if not tiny:
            for j, inst in enumerate(vocab.INSTITUTIONS[: k(6)]):
                unit = f"{cname}{inst}"
                if j == 0:
                    c = self.add(
                        root, "committee", f"中共{unit}委员会", "institution", region, unit_name=unit
                    )
                    self.sub_branches(
                        c, unit, vocab.HOSPITAL_BRANCHES[: rng.randint(4, 6)], "institution", region
                    )
                elif j == 1:
                    g = self.add(
                        root,
                        "general_branch",
                        f"中共{unit}总支部委员会",
                        "institution",
                        region,
                        unit_name=unit,
                    )
                    self.sub_branches(g, unit, self.numbered(3), "institution", region)
                else:
                    self.branch(root, unit, "institution", region, unit_name=unit)

        # 4. State enterprises.
        for ent in rng.sample(vocab.STATE_ENTERPRISES, 1 if tiny else min(10, k(5))):
            unit = f"{cname}{ent}"
            r = rng.random()
            if r < 0.3 and not tiny:
                c = self.add(
                    root, "committee", f"中共{unit}委员会", "state_enterprise", region, unit_name=unit
                )
                self.sub_branches(
                    c, unit, [*self.numbered(rng.randint(3, 5)), "离退休"], "state_enterprise", region
                )
            elif r < 0.6 and not tiny:
                g = self.add(
                    root,
                    "general_branch",
                    f"中共{unit}总支部委员会",
                    "state_enterprise",
                    region,
                    unit_name=unit,
                )
                self.sub_branches(g, unit, self.numbered(rng.randint(2, 3)), "state_enterprise", region)
            else:
                self.branch(root, unit, "state_enterprise", region, unit_name=unit)

        # 5. Private enterprises and social organizations under the non-public working committee.
        npc = self.add(
            root,
            "working_committee",
            f"中共{cname}非公有制经济组织和社会组织工作委员会",
            "private_enterprise",
            region,
            short_name="两新工委",
            unit_name=f"{cname}两新组织",
        )
        for i in range(2 if tiny else k(42)):
            unit = f"{cname}{self.place()}{rng.choice(vocab.INDUSTRIES)}有限公司"
            if i < 2 and not tiny:
                c = self.add(
                    npc, "committee", f"中共{unit}委员会", "private_enterprise", region, unit_name=unit
                )
                self.sub_branches(c, unit, self.numbered(rng.randint(2, 4)), "private_enterprise", region)
            else:
                self.branch(npc, unit, "private_enterprise", region, unit_name=unit)
        for _ in range(0 if tiny else k(6)):
            area = self.place()
            units = tuple(
                f"{cname}{self.place()}{rng.choice(vocab.INDUSTRIES)}有限公司"
                for _ in range(rng.randint(2, 4))
            )
            self.branch(
                npc,
                f"{cname}{area}片区非公企业联合",
                "private_enterprise",
                region,
                is_joint=True,
                unit_relation="joint",
                joint_units=units,
                unit_name="、".join(u.removeprefix(cname) for u in units)[:200],
            )
        for org in rng.sample(vocab.SOCIAL_ORGS, 1 if tiny else min(len(vocab.SOCIAL_ORGS), k(8))):
            unit = f"{cname}{org}"
            self.branch(npc, unit, "social_org", region, unit_name=unit)

        # 6. Streets and their communities.
        for _ in range(1 if tiny else k(2)):
            street = self.place()
            sw = self.add(
                root,
                "working_committee",
                f"中共{cname}{street}街道工作委员会",
                "community",
                region,
                short_name=f"{street}街道党工委",
                unit_name=f"{cname}{street}街道办事处",
                place=f"{cname}{street}街道",
            )
            for _ in range(2 if tiny else rng.randint(4, 8)):
                comm = self.place()
                unit = f"{cname}{street}街道{comm}社区"
                if rng.random() < 0.4 and not tiny:
                    c = self.add(
                        sw,
                        "committee",
                        f"中共{unit}委员会",
                        "community",
                        region,
                        unit_name=f"{unit}居民委员会",
                        place=f"{cname}{street}街道{comm}社区",
                    )
                    labels = vocab.COMMUNITY_BRANCHES[: rng.randint(3, 5)]
                    self.sub_branches(c, unit, labels, "community", region)
                else:
                    self.branch(
                        sw,
                        unit,
                        "community",
                        region,
                        unit_name=f"{unit}居民委员会",
                        place=f"{cname}{street}街道{comm}社区",
                        short_name=f"{comm}社区党支部",
                    )

        # 7. Townships with their villages.
        for _ in range(1 if tiny else k(12)):
            town = self.place()
            suffix = "镇" if rng.random() < 0.7 else "乡"
            tname = f"{cname}{town}{suffix}"
            t = self.add(
                root,
                "committee",
                f"中共{tname}委员会",
                "government",
                region,
                short_name=f"{town}{suffix}党委",
                unit_name=f"{tname}人民政府",
                place=tname,
            )
            self.branch(t, f"{tname}机关", "government", region, unit_name=f"{tname}人民政府")
            if not tiny:
                self.branch(t, f"{tname}中心学校", "school", region, unit_name=f"{tname}中心学校")
                self.branch(t, f"{tname}卫生院", "institution", region, unit_name=f"{tname}卫生院")
            for _ in range(7 if tiny else rng.randint(14, 30)):
                village = self.place()
                unit = f"{tname}{village}村"
                place = f"{tname}{village}村"
                if rng.random() < 0.1 and not tiny:
                    g = self.add(
                        t,
                        "general_branch",
                        f"中共{unit}总支部委员会",
                        "village",
                        region,
                        unit_name=f"{unit}村民委员会",
                        place=place,
                        short_name=f"{village}村党总支",
                    )
                    self.sub_branches(g, unit, self.numbered(rng.randint(2, 3)), "village", region)
                else:
                    self.branch(
                        t,
                        unit,
                        "village",
                        region,
                        unit_name=f"{unit}村民委员会",
                        place=place,
                        short_name=f"{village}村党支部",
                    )
            for _ in range(0 if tiny else rng.randint(0, 3)):
                unit = f"{tname}{self.place()}{rng.choice(vocab.INDUSTRIES)}有限公司"
                self.branch(t, unit, "private_enterprise", region, unit_name=unit)
            if rng.random() < 0.3 and not tiny:
                comm = self.place()
                self.branch(
                    t,
                    f"{tname}{comm}社区",
                    "community",
                    region,
                    unit_name=f"{tname}{comm}社区居民委员会",
                    place=f"{tname}{comm}社区",
                )
        return root

    # -- upper levels ----------------------------------------------------------------------------------
    def upper_level(self, root: Node, region: str, prefix: str, organs: int, enterprises: int, colleges: int):
        """Working committees of a city or province: organs, the state-assets committee, colleges."""
        rng = self.rng
        gov = prefix[-1]  # 市 / 省
        wc = self.add(
            root,
            "working_committee",
            f"中共{prefix}直属机关工作委员会",
            "government",
            region,
            short_name=f"{gov}直机关工委",
            unit_name=f"{prefix}直属机关",
        )
        for i in range(organs):
            organ = vocab.ORGANS[i % len(vocab.ORGANS)].replace("县委", f"{gov}委")
            unit = f"{prefix}{organ}" + (
                "" if i < len(vocab.ORGANS) else f"直属{numeral(i // len(vocab.ORGANS))}处"
            )
            if rng.random() < 0.35:
                c = self.add(wc, "committee", f"中共{unit}机关委员会", "government", region, unit_name=unit)
                labels = [*self.numbered(rng.randint(3, 6)), "离退休干部"]
                self.sub_branches(c, unit, labels, "government", region)
            elif rng.random() < 0.5:
                g = self.add(
                    wc, "general_branch", f"中共{unit}机关总支部委员会", "government", region, unit_name=unit
                )
                self.sub_branches(g, unit, self.numbered(rng.randint(2, 4)), "government", region)
            else:
                self.branch(wc, f"{unit}机关", "government", region, unit_name=unit)
        sasac = self.add(
            root,
            "committee",
            f"中共{prefix}人民政府国有资产监督管理委员会委员会",
            "state_enterprise",
            region,
            short_name="国资委党委",
            unit_name=f"{prefix}人民政府国有资产监督管理委员会",
        )
        for _ in range(enterprises):
            unit = f"{prefix}{self.place()}{rng.choice(vocab.INDUSTRIES)}集团有限公司"
            c = self.add(sasac, "committee", f"中共{unit}委员会", "state_enterprise", region, unit_name=unit)
            for j in range(rng.randint(1, 3)):
                sub = f"{unit}{self.place()}分公司"
                g = self.add(
                    c, "general_branch", f"中共{sub}总支部委员会", "state_enterprise", region, unit_name=sub
                )
                self.sub_branches(g, sub, self.numbered(rng.randint(2, 4)), "state_enterprise", region)
                if j == 0:
                    self.sub_branches(c, unit, ["机关", "离退休"], "state_enterprise", region)
        for _ in range(colleges):
            uni = f"{prefix.removesuffix(gov)}{rng.choice(('理工', '师范', '医科', '财经', '农业', '职业技术'))}学院"
            c = self.add(
                root, "committee", f"中共{uni}委员会", "school", region, unit_name=uni, short_name=uni
            )
            for dept in rng.sample(
                ("机械工程", "文学", "经济管理", "信息工程", "外国语", "马克思主义", "化学化工", "数学与统计",
                 "体育", "艺术", "土木工程", "护理"),
                rng.randint(5, 9),
            ):  # fmt: skip
                sub = f"{uni}{dept}学院"
                g = self.add(c, "general_branch", f"中共{sub}总支部委员会", "school", region, unit_name=sub)
                labels = ["教工第一", "教工第二", "学生第一", "学生第二"][: rng.randint(3, 4)]
                for label in labels:
                    b = self.branch(
                        g, f"{sub}{label}", "school", region, unit_name=sub, unit_relation="same_as_parent"
                    )
                    if label.startswith("学生"):
                        b.flavor = "students"

    def city(self, parent: Node | None, region: str, name: str, counties: int, s: float) -> Node:
        rng = self.rng
        root = self.add(
            parent,
            "committee",
            f"中共{name}委员会",
            "government",
            region,
            short_name=f"{name}委",
            unit_name=f"中共{name}委员会",
            place=name,
        )
        self.upper_level(root, region, name, organs=round(60 * s), enterprises=round(10 * s), colleges=3)
        for j in range(counties):
            kind = "区" if j < counties // 3 else "县"
            cregion = region[:4] + f"{(j + 1) if kind == '区' else (20 + j):02d}"
            self.county(root, cregion, f"{self.place()}{kind}", s * rng.uniform(0.75, 1.25))
        return root

    def province(self, region: str, name: str, cities: int, counties: int, s: float) -> Node:
        rng = self.rng
        root = self.add(
            None,
            "committee",
            f"中共{name}委员会",
            "government",
            region,
            short_name=f"{name}委",
            unit_name=f"中共{name}委员会",
            place=name,
        )
        self.upper_level(root, region, name, organs=120, enterprises=40, colleges=10)
        for i in range(cities):
            cregion = f"{region[:2]}{i + 1:02d}00"
            self.city(root, cregion, f"{self.place()}市", max(3, round(counties * rng.uniform(0.7, 1.3))), s)
        return root
