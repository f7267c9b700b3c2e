"""The shape of a demo county (or district) and the names of its orgs.

`CountyBuilder.county` adds the county committee and, under it: the organs under the organs' working committee
(the big organs with a committee of their own), the schools under the education working committee, the public
institutions and the state enterprises, the private enterprises, joint branches and social organizations under
the non-public working committee, the streets with their communities and the townships with their villages.
`s` scales the counts; `tiny` keeps a handful of orgs of each kind.
"""

from __future__ import annotations

from . import vocab
from .nodes import Node, NodeBuilder, numeral


class CountyBuilder(NodeBuilder):
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
