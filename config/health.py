"""GET /healthz for load balancers and the container healthcheck: no login, no data.

200 {"status": "ok", "database": "ok", "broker": "ok"} when the database answers `SELECT 1` and the
Celery broker accepts a connection; 503 with "error" against whichever failed (details go to the log).
Exempt from the SSL redirect (SECURE_REDIRECT_EXEMPT) so a plain-HTTP probe inside the container works.
"""

import logging

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from kombu import Connection

logger = logging.getLogger(__name__)

BROKER_TIMEOUT = 2  # seconds: the probe must answer well within the healthcheck's own timeout


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_broker() -> None:
    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", None) or {}
    with Connection(settings.CELERY_BROKER_URL, connect_timeout=BROKER_TIMEOUT, transport_options=options) as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=BROKER_TIMEOUT)


CHECKS = {"database": check_database, "broker": check_broker}


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    body = {"status": "ok"}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:
            logger.exception("health check failed: %s", name)
            body[name] = "error"
            body["status"] = "error"
        else:
            body[name] = "ok"
    return JsonResponse(body, status=200 if body["status"] == "ok" else 503)
