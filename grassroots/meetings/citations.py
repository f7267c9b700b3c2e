"""The sources of the rules of organizational life (registered with core.citations from MeetingsConfig.ready()).
MEM-LAPSE-6M and MEM-APPRAISAL-GRADES, which these rules also enforce, are registered by the members app
(members/citations.py) with the same sources, and are not repeated here."""

from grassroots.core.citations import LOCAL, cite

SOURCES = {
    "MTG-GENERAL-Q": (cite("条例2018", 11),),
    "MTG-COMMITTEE-M": (cite("条例2018", 12),),
    "MTG-GROUP-M": (cite("条例2018", 13),),
    "MTG-LECTURE-Q": (cite(LOCAL),),
    "MTG-THEMED-DAY-M": (cite("条例2018"),),
    "MTG-ORG-LIFE-Y": (cite("条例2018", 17),),
    "MTG-APPRAISAL-Y": (cite("条例2018"),),
    "MTG-TALK-Y": (cite("条例2018"),),
    "MTG-QUORUM-GENERAL": (cite("条例2018", 11),),
    "MTG-QUORUM-COMMITTEE": (cite("条例2018", 12),),
    # Local practice (不得重抄、涂改或补记会议记录).
    "MTG-MINUTES-FINAL": (cite(LOCAL),),
    # The project's own rules: no regulation to cite (MTG-MINUTES-LATE's 7 days is the project's default).
    "MTG-MINUTES-LATE": (),
    "MTG-VOTE-COUNTS": (),
    "MTG-VOTE-KIND": (),
    "MTG-DATES": (),
    "MTG-SIGN-IN": (),
    "MTG-ATTENDANCE": (),
    "MTG-PEOPLE": (),
    "MTG-TOPIC": (),
    "MTG-KIND": (),
    "MTG-POLICY": (),
    "MTG-YEAR": (),
    "MTG-FEED": (),
    "MTG-STATUS": (),
    "MTG-LEAVE": (),
}
