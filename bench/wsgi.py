"""The portal as the read-API load serves it (bench/load.py): config.wsgi's application on the bench's day.

Business dates (core.clock.today) are data.AS_OF, the day after the night the data was brought up to, the day
every other measure judges. On the wall-clock day, months after that night, every stored verdict would be past
its next change and each request would compute it live: a state no production day is in, since the night before
each day recomputes what the date changed.
"""

from config.wsgi import application  # noqa: I001  (first: it sets Django up, which bench.data's models need)
from core import clock
from bench.data import AS_OF

clock.today = lambda: AS_OF

__all__ = ["application"]
