"""No whole ID number in a log line (core.log_redaction): runserver's request log of a refused
`?q=<ID number>` shows the masked form."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings

from grassroots.core import id_number
from grassroots.core.log_redaction import RedactIdNumbers

NUMBER = id_number.make("110101", dt.date(1990, 5, 6), 123)


def test_request_log_line_shows_the_masked_number_when_a_url_held_one():
    record = logging.LogRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"%s" %s %s',
        (f"GET /members/?q={NUMBER} HTTP/1.1", 302, 0),
        None,
    )
    assert RedactIdNumbers().filter(record) is True
    line = record.getMessage()
    assert NUMBER not in line and id_number.mask(NUMBER) in line and line.endswith(" 302 0")


def test_log_line_without_an_id_number_is_left_as_it_is():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "phone %s", ("13912345678",), None)
    RedactIdNumbers().filter(record)
    assert record.getMessage() == "phone 13912345678"


def test_every_log_handler_and_the_request_log_redact_when_configured():
    logging_config = settings.LOGGING
    assert all("id_numbers" in h.get("filters", []) for h in logging_config["handlers"].values())
    server = logging.getLogger("django.server")
    assert any(isinstance(f, RedactIdNumbers) for h in server.handlers for f in h.filters)
