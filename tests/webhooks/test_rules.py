from datetime import UTC, datetime, timedelta

import pytest

from webhooks import rules


@pytest.mark.parametrize(
    ("attempts", "seconds"),
    [(1, 5), (2, 300), (3, 1800), (4, 7200), (5, 18000), (6, 36000), (7, 36000)],
)
def test_the_wait_follows_the_schedule_within_the_jitter(attempts, seconds):
    low, mid, high = (rules.retry_delay(attempts, spread) for spread in (0.0, 0.5, 0.999999))
    assert mid == timedelta(seconds=seconds)
    assert low == timedelta(seconds=seconds * 0.8)
    assert timedelta(seconds=seconds * 1.19) < high <= timedelta(seconds=seconds * 1.2)


def test_after_the_eighth_failed_attempt_there_is_no_other():
    assert rules.retry_delay(8, 0.5) is None
    assert rules.retry_delay(0, 0.5) is None


@pytest.mark.parametrize(
    ("code", "ok"),
    [(200, True), (204, True), (299, True), (301, False), (302, False), (404, False), (500, False), (None, False)],
)
def test_only_a_2xx_answer_delivers(code, ok):
    assert rules.answer_succeeded(code) is ok


def test_an_endpoint_is_disabled_after_5_days_of_failures_not_before():
    start = datetime(2026, 5, 1, 12, tzinfo=UTC)
    assert not rules.should_disable(None, start)
    assert not rules.should_disable(start, start + timedelta(days=5) - timedelta(seconds=1))
    assert rules.should_disable(start, start + timedelta(days=5))


@pytest.mark.parametrize(
    ("address", "refusal"),
    [
        ("93.184.216.34", None),
        ("2606:4700::6810:84e5", None),
        ("127.0.0.1", "a loopback address"),
        ("::1", "a loopback address"),
        ("::ffff:127.0.0.1", "a loopback address"),
        ("10.1.2.3", "a private address"),
        ("172.16.0.9", "a private address"),
        ("192.168.1.1", "a private address"),
        ("fd12::1", "a private address"),
        ("169.254.169.254", "a cloud metadata address"),
        ("fd00:ec2::254", "a cloud metadata address"),
        ("169.254.10.10", "a link-local address"),
        ("fe80::1%eth0", "a link-local address"),
        ("0.0.0.0", "a private address"),
        ("100.64.0.1", "not a public address"),
        ("224.0.0.1", "not a public address"),
    ],
)
def test_only_public_addresses_are_called(address, refusal):
    assert rules.address_refusal(address, allow_loopback=False) == refusal


def test_loopback_only_is_allowed_by_the_setting():
    assert rules.address_refusal("127.0.0.1", allow_loopback=True) is None
    assert rules.address_refusal("10.0.0.1", allow_loopback=True) == "a private address"
    assert rules.address_refusal("169.254.169.254", allow_loopback=True) == "a cloud metadata address"
