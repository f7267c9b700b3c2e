"""The sources of the organization rules (registered with core.citations from OrgsConfig.ready())."""

from grassroots.core.citations import cite

SOURCES = {
    "ORG-BRANCH-MIN-3": (cite("条例2018", 4),),
    "ORG-BRANCH-MAX-50": (cite("条例2018", 4),),
    "ORG-COMMITTEE-7": (cite("条例2018", chapter=6),),
    "ORG-TERM": (cite("党章", 31), cite("选举条例2020", 3)),
    "ORG-SECRETARY-1Y": (cite("条例2018", 23),),
    # The project's own rules: no regulation to cite.
    "ORG-CODE-UNIQUE": (),
    "ORG-CODE-FORMAT": (),
    "ORG-MOVE-CYCLE": (),
    "ORG-KIND-NESTING": (),
    "ORG-END-EMPTY": (),
    "ORG-POLICY": (),
}
