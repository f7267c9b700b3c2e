"""The sources of the member rules (registered with core.citations from MembersConfig.ready())."""

from grassroots.core.citations import LOCAL, cite

SOURCES = {
    "MEM-ID-NUMBER": (cite("GB11643"),),
    "MEM-DISCIPLINE-TERM": (cite("党章", 39),),
    "MEM-TRANSFER-LETTER": (cite("组通字2006-45"), cite(LOCAL)),
    "MEM-LAPSE-6M": (cite("党章", 9),),
    "MEM-LOST-CONTACT": (cite("教育管理条例2019"),),
    "MEM-TRANSFER-REQUIRED": (cite("教育管理条例2019"),),
    "MEM-APPRAISAL-GRADES": (cite("条例2018"),),
    # The project's own rules (and MEM-NO-DELETE, which no regulation states): no source to cite.
    "MEM-NO-DELETE": (),
    "MEM-ID-DUPLICATE": (),
    "MEM-STATUS": (),
    "MEM-ORG": (),
    "MEM-PARTY-GROUP": (),
    "MEM-SELF-SERVICE": (),
}
