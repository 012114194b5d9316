"""The one HTTP request of an attempt, made safely: the URL's host is resolved, every address checked
(rules.address_refusal), and the connection made to the address checked (so a DNS answer that changes between
the check and the connection cannot redirect it: DNS rebinding). No redirect is followed; at most
rules.RESPONSE_KEPT_BYTES of the answer are read. Standard library only (http.client)."""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from . import rules


class UnsafeURL(ValueError):
    """The URL may not be called (scheme, unresolvable host, or an address that is not public)."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    address: str
    path: str


@dataclass(frozen=True)
class Answer:
    status_code: int | None
    body: str
    error: str
    duration_ms: int


def resolve(url: str) -> Target:
    """Where `url` may be called, or UnsafeURL saying why not."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeURL("Use an http:// or https:// URL with a host name.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        found = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (ValueError, OSError) as exc:
        raise UnsafeURL(f"The host {parts.hostname} cannot be resolved.") from exc
    addresses = list(dict.fromkeys(str(info[4][0]) for info in found))
    allow_loopback = settings.WEBHOOKS_ALLOW_LOOPBACK
    for address in addresses:
        refusal = rules.address_refusal(address, allow_loopback=allow_loopback)
        if refusal:
            raise UnsafeURL(
                f"The host {parts.hostname} resolves to {refusal} ({address}); webhooks go to public addresses."
            )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, parts.hostname, port, addresses[0], path)


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address checked; the Host header still names the host."""

    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """Connects to the address checked; TLS still verifies the certificate against the host name (SNI too)."""

    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout, context=ssl.create_default_context())
        self._address = target.address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def post(url: str, *, body: bytes, headers: dict[str, str]) -> Answer:
    started = time.monotonic()

    def took() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        target = resolve(url)
        kind = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
        conn = kind(target, timeout=rules.TIMEOUT_SECONDS)
        try:
            conn.request("POST", target.path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read(rules.RESPONSE_KEPT_BYTES)
        finally:
            conn.close()
    except UnsafeURL as exc:
        return Answer(None, "", str(exc)[:300], took())
    except (OSError, http.client.HTTPException) as exc:
        return Answer(None, "", f"{type(exc).__name__}: {exc}"[:300], took())
    return Answer(response.status, data.decode("utf-8", "replace"), "", took())
