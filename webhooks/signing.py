"""Endpoint secrets (Standard Webhooks `whsec_` + base64) and their encryption at rest, and message signatures.

HMAC needs the secret itself, so it cannot be hashed: it is stored encrypted (Fernet) with a key derived from
settings.WEBHOOK_SECRET_KEY, or SECRET_KEY when that is empty.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Iterable
from datetime import datetime

from cryptography.fernet import Fernet
from django.conf import settings
from standardwebhooks.webhooks import Webhook

SECRET_BYTES = 24


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def _fernet() -> Fernet:
    key = settings.WEBHOOK_SECRET_KEY or settings.SECRET_KEY
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(b"portal.webhooks.secret:" + key.encode()).digest()))


def encrypt(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()


def signature(secrets_: Iterable[str], *, message_id: str, timestamp: datetime, body: str) -> str:
    """`webhook-signature`: one `v1,<base64>` per secret, space-separated (the current secret, and during a
    rotation the previous one), so a receiver holding either verifies."""
    return " ".join(Webhook(s).sign(message_id, timestamp, body) for s in secrets_)
