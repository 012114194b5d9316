"""The one clock. Business dates ("today") are calendar dates in the program's time zone.

Nothing else calls date.today() or timezone.now() to decide a business date: rules take `as_of`,
and callers get it from here, so time-travel tests and as-of queries see the same world.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone


def program_tz() -> ZoneInfo:
    return ZoneInfo(settings.PROGRAM_TIME_ZONE)


def now() -> datetime:
    """The current instant (aware, UTC)."""
    return timezone.now()


def today() -> date:
    """Today's calendar date in the program time zone."""
    return now().astimezone(program_tz()).date()


def to_program_date(moment: datetime) -> date:
    """The program calendar date on which an instant falls."""
    return moment.astimezone(program_tz()).date()
