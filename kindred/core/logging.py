"""Log filters that keep personal content out of logs."""

import logging
import re

_QUERY = re.compile(r"\?[^\s\"]*")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


class StripQueryStringFilter(logging.Filter):
    """Drop query strings and email addresses from log lines (they can carry what people typed)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = _EMAIL.sub("[email]", _QUERY.sub("?[…]", message))
        if cleaned != message:
            record.msg = cleaned
            record.args = ()
        return True
