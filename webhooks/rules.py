"""Pure rules of webhook delivery: the retry schedule, when an endpoint is given up on, which addresses may be
called. Data and functions only (no ORM, no clock, no I/O)."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from datetime import datetime, timedelta

# Seconds to wait after the 1st, 2nd, ... failed attempt; after the last one the delivery has failed (8 attempts
# over about 28 hours). Each wait is spread by +/- JITTER so that a receiver back from an outage is not hit by every
# delivery at once.
BACKOFF_SECONDS: tuple[int, ...] = (5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 10 * 3600)
JITTER = 0.2
# An endpoint whose deliveries have failed without a success for this long is disabled and its owner told.
DISABLE_AFTER = timedelta(days=5)
# After a rotation the previous secret keeps verifying this long (both sign every message meanwhile).
PREVIOUS_SECRET_LIFETIME = timedelta(hours=24)
# One attempt: at most this many seconds per connect and per read, and this much of the answer kept.
TIMEOUT_SECONDS = 10
RESPONSE_KEPT_BYTES = 1024
# A delivery queued this long ago whose task has not run is queued again (the broker lost the message).
REQUEUE_AFTER = timedelta(hours=1)
# An event id skipped by the fan-out (its transaction had not committed) is looked for again this long.
HOLE_TIMEOUT = timedelta(hours=1)

# Cloud metadata services (AWS, GCP, Azure, OpenStack: 169.254.169.254; AWS IPv6; Alibaba).
METADATA_ADDRESSES = frozenset(ipaddress.ip_address(a) for a in ("169.254.169.254", "fd00:ec2::254", "100.100.100.200"))


def retry_delay(attempts_made: int, spread: float) -> timedelta | None:
    """The wait before the next attempt once `attempts_made` attempts have failed (`spread` in [0, 1) picks the
    jitter), or None when the schedule is spent."""
    if attempts_made < 1 or attempts_made > len(BACKOFF_SECONDS):
        return None
    factor = 1 - JITTER + 2 * JITTER * spread
    return timedelta(seconds=BACKOFF_SECONDS[attempts_made - 1] * factor)


def answer_succeeded(status_code: int | None) -> bool:
    """A 2xx answer delivers; a redirect (not followed), any other status or no answer is a failure."""
    return status_code is not None and 200 <= status_code < 300


def should_disable(failing_since: datetime | None, now: datetime) -> bool:
    return failing_since is not None and now - failing_since >= DISABLE_AFTER


def address_refusal(address: str, *, allow_loopback: bool) -> str | None:
    """Why a webhook may not be sent to this IP address, or None when it may: only public addresses (and
    loopback when allowed, for local use and tests)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return None if allow_loopback else "a loopback address"
    if ip in METADATA_ADDRESSES:
        return "a cloud metadata address"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_private:
        return "a private address"
    if ip.is_multicast or not ip.is_global:
        return "not a public address"
    return None


def unknown_kinds(kinds: Iterable[str], known: Iterable[str]) -> list[str]:
    known = set(known)
    return [k for k in kinds if k not in known]
