"""Logging filters (settings.LOGGING)."""

import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404


class OrdinaryRefusals(logging.Filter):
    """A 403 (PermissionDenied) or 404 (Http404) is an ordinary answer, not a failure: Django logs it with the
    exception attached, which printed a whole traceback for each. Keep the one warning line, drop the traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], PermissionDenied | Http404):
            record.exc_info = None
            record.exc_text = None
        return True
