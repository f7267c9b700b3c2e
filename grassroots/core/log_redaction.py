"""No whole ID number in a log line: a logging filter that writes any ID number a message holds in its masked
form (core.id_number.mask). Searches by ID number keep the number out of URLs (core.id_search), but a URL
typed by hand, or a client that ignores the X-Search header, still reaches the request log before it is
refused: this filter is the last guard (settings: every handler, and runserver's request log)."""

from __future__ import annotations

import logging
import re

from . import id_number

_WHOLE = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9Xx])")


def redact(text: str) -> str:
    return _WHOLE.sub(lambda m: id_number.mask(m.group(0)), text)


class RedactIdNumbers(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True
