"""Secrets never reach a log: query values that look like credentials, and anything shaped
like an API key anywhere in any log line of the process."""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import parse_qsl, urlencode

from counterparty.domain.api_keys import DISPLAY_PREFIX_LENGTH, KEY_PATTERN

_KEY_SHAPED = re.compile(KEY_PATTERN)
# A parameter whose name says it carries a credential, however it is spelled
# ("api-key", "API_KEY", "accessToken", "key "): letters only, lower case.
_SECRET_NAME = re.compile(r"key|token|secret|passw|pwd|auth|credential|signature")
_installed = False


def redact(text: str) -> str:
    """`text` with every key-shaped string cut to its display prefix.

    >>> redact("q=cpk_" + "a" * 38 + "&x=1")
    'q=cpk_aaaaaaaa…&x=1'
    """
    return _KEY_SHAPED.sub(lambda found: found.group()[:DISPLAY_PREFIX_LENGTH] + "…", text)


def redacted_query(query: str) -> str:
    """The query string with credential values replaced.

    >>> redacted_query("key=cpk_secret&page=2&Api-Key=x")
    'key=%2A%2A%2A&page=2&Api-Key=%2A%2A%2A'
    """
    if not query:
        return ""
    pairs = parse_qsl(query, keep_blank_values=True)
    return redact(
        urlencode(
            [
                (name, "***" if _SECRET_NAME.search(re.sub("[^a-z]", "", name.lower())) else value)
                for name, value in pairs
            ]
        )
    )


def install_log_redaction() -> None:
    """Make every log record of this process carry its message with keys redacted."""
    global _installed
    if _installed:
        return
    _installed = True
    make_record = logging.getLogRecordFactory()

    def redacting(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        message = record.getMessage()
        if "cpk_" in message:
            record.msg, record.args = redact(message), ()
        return record

    logging.setLogRecordFactory(redacting)
