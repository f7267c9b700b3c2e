"""The sources of the calendar rules (registered with core.citations from WorkcalendarConfig.ready()).

The working days themselves come from the State Council's yearly notice of holidays, which an administrator
enters; the checks on that entry are the project's own and cite no regulation."""

SOURCES = {
    "CAL-DAY-YEAR": (),
    "CAL-DAY-NAME": (),
    "CAL-DAY-WEEKEND": (),
    "CAL-DAY-TWICE": (),
    "CAL-DAY-REASON": (),
    "CAL-YEAR-COMPLETE": (),
    "CAL-YEAR-EMPTY": (),
    "CAL-YEAR-MISSING": (),
    "CAL-SCHEDULE-LINE": (),
}
