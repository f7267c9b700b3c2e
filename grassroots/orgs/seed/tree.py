"""The org tree of a demo county, city or province, with treebeard paths computed here (no per-node inserts).

Shape (2023 bulletin: ~88% of grassroots orgs are branches): the top committee holds working committees
(直属机关工委, 教育工委, 非公工委, 街道党工委), township committees with village branches and general branches,
institutions, schools and enterprises; branches may hold party groups. Codes are the region code of the
county (or city, province) plus a 4-digit serial: stable for a given seed.

`TreeBuilder` builds a county (`county.CountyBuilder.county`), a city (its organs, state enterprises and
colleges, then its districts and counties) or a province (its own upper level, then its cities). A node and
how one is added (`Node`, `path_step`, `numeral`, `STEPLEN`) live in `nodes` and stay importable from here.
"""

from __future__ import annotations

from . import vocab
from .county import CountyBuilder
from .nodes import ALPHABET, BRANCH_WEIGHT, NUMERALS, STEPLEN, Node, NodeBuilder, numeral, path_step

__all__ = [
    "ALPHABET",
    "BRANCH_WEIGHT",
    "NUMERALS",
    "STEPLEN",
    "Node",
    "NodeBuilder",
    "TreeBuilder",
    "numeral",
    "path_step",
    "vocab",
]


class TreeBuilder(CountyBuilder):
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
