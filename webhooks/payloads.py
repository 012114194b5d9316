"""What a webhook carries: the Standard Webhooks envelope `{"type", "timestamp", "data"}` as compact JSON.
An event's body is built from the event row, which never changes, so every attempt sends the same bytes."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from core.models import Event

TEST_KIND = "webhook.test"


def _dump(kind: str, at: datetime, data: dict[str, Any]) -> str:
    envelope = {"type": kind, "timestamp": at.isoformat().replace("+00:00", "Z"), "data": data}
    return json.dumps(envelope, separators=(",", ":"), sort_keys=True, default=str)


def event_body(event: Event) -> str:
    return _dump(
        event.kind,
        event.occurred_at,
        {
            "id": event.pk,
            "kind": event.kind,
            "summary": event.summary,
            "partner": event.partner_id,
            "individual": event.individual_id,
            "occurred_at": event.occurred_at.isoformat().replace("+00:00", "Z"),
            "payload": event.payload,
        },
    )


def ping_body(endpoint_id: int, at: datetime) -> str:
    return _dump(TEST_KIND, at, {"endpoint": endpoint_id, "message": "A test event from the Partner Compliance Portal"})
