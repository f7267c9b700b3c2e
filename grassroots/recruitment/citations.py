"""The sources of the recruitment rules (registered with core.citations from RecruitmentConfig.ready()).
REC-AGE-18 and REC-DATES are also enforced by the members app on hand-entered records."""

from grassroots.core.citations import LOCAL, cite

SOURCES = {
    "REC-AGE-18": (cite("党章", 1), cite("细则2014", 5)),
    "REC-TALK-1M": (cite("细则2014", 7),),
    "REC-ACTIVIST-WAIT": (cite(LOCAL),),
    "REC-ACTIVIST-SOURCE": (cite("细则2014", 8),),
    "REC-MENTORS": (cite("细则2014", 9),),
    "REC-ASSESS-6M": (cite("细则2014", 11),),
    "REC-CANDIDATE-1Y": (cite("细则2014", 13),),
    "REC-SPONSORS": (cite("细则2014", 14),),
    "REC-REVIEW": (cite("细则2014", 16),),
    "REC-TRAINING": (cite("细则2014", 17),),
    "REC-PRE-REVIEW": (cite("细则2014", 19),),
    "REC-NOTICE": (cite(LOCAL),),
    "REC-VOTE-QUORUM": (cite("细则2014", 20), cite("条例2018", 11)),
    "REC-VOTE-MAJORITY": (cite("细则2014", 21),),
    "REC-VOTE-ONE-BY-ONE": (cite("细则2014", 21),),
    "REC-VOTERS-FULL": (cite("党章", 7), cite("选举条例2020", 5)),
    "REC-APPROVAL-3M": (cite("细则2014"),),
    "REC-PROBATION-1Y": (cite("党章", 7),),
    "REC-EXTENSION": (cite("党章", 7),),
    "REC-OUTCOME": (cite("党章", 7),),
    "REC-DATES": (cite("党章", 7),),
    # The project's own rules: no regulation to cite.
    "REC-ORDER": (),
    "REC-STAGE": (),
    "REC-NOT-FUTURE": (),
    "REC-VOID": (),
    "REC-POLICY": (),
}
