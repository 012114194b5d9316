"""Webhook test helpers: endpoints made through the service, and a real HTTP receiver on 127.0.0.1."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from core import clock
from partners import access
from webhooks import services
from webhooks.models import Attempt, Delivery


def endpoint_for(partner=None, *, url="http://127.0.0.1:9/hook", actor=access.SYSTEM, **fields):
    """An endpoint and its secret (SYSTEM sets it up unless an actor is given)."""
    return services.endpoint_create(url=url, partner=partner, actor=actor, **fields)


def build_partner_data(partner):
    """For the tenancy walk: an endpoint of the partner with a delivery and an attempt."""
    endpoint, _ = endpoint_for(partner, description=f"Secret hook of {partner.legal_name}")
    now = clock.now()
    delivery = Delivery.objects.create(endpoint=endpoint, kind="partner.updated", next_attempt_at=now, created_at=now)
    attempt = Attempt.objects.create(
        delivery=delivery, attempted_at=now, status_code=500, response=f"Receiver secret answer {partner.pk}x"
    )
    return [endpoint, delivery, attempt]


def _verifies(secret, data, headers):
    try:
        Webhook(secret).verify(data, headers)
    except WebhookVerificationError:
        return False
    return True


class Receiver:
    """A small HTTP server the test starts on 127.0.0.1 in a thread: it records every request (headers, body)
    and answers with the next status of `statuses` (the last one repeats). With `secrets` set, it verifies each
    request on arrival with `standardwebhooks`, as a receiver does: `verified` gets, per request, the secrets
    that verified it."""

    def __init__(self, statuses=(200,), body=b"ok", location=None, hang_first=False):
        self.requests: list[tuple[dict[str, str], bytes, str]] = []
        self.statuses = list(statuses)
        self.secrets: list[str] = []
        self.verified: list[list[str]] = []
        self.release = threading.Event()  # with hang_first, the first request gets no answer until set
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("content-length", 0))
                headers, data = dict(self.headers.items()), self.rfile.read(length)
                receiver.requests.append((headers, data, self.path))
                receiver.verified.append([s for s in receiver.secrets if _verifies(s, data, headers)])
                if hang_first and len(receiver.requests) == 1:
                    receiver.release.wait(60)
                    return
                status = receiver.statuses.pop(0) if len(receiver.statuses) > 1 else receiver.statuses[0]
                self.send_response(status)
                if location:
                    self.send_header("Location", location)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/portal"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    @property
    def ids(self):
        return [headers["webhook-id"] for headers, _, _ in self.requests]
