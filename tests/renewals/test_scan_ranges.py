"""The scan split by partner range (the chunks of a night) does what one scan of everyone does."""

from renewals.services.scan import daily_scan
from tests.renewals.scan_world import DAY, build_world, outcome, scanned


def test_two_ranges_give_what_one_scan_gives(db, verdicts):
    partners = build_world(4, fail=verdicts.fail)
    lo, hi = partners[0].pk, partners[-1].pk + 1
    mid = partners[2].pk
    whole, [summary] = scanned()
    halves, parts = scanned([(lo, mid), (mid, hi)])
    assert halves == whole
    assert summary["recert"] == 4 and summary["incidents_opened"] == 12 and summary["incidents_flagged"] == 4
    assert summary["incidents_closed"] == 8 and summary["lapsed"] == 4 and summary["reminders"] == 4
    for key in ("credentials", "events", "recert", "lapsed", "reminders", "incidents_opened", "incidents_closed"):
        assert sum(p.get(key, 0) for p in parts) == summary.get(key, 0), key
    assert len(whole["notices"]) > 0


def test_a_range_leaves_the_other_partners_alone(db, verdicts):
    partners = build_world(2, fail=verdicts.fail)
    first = (partners[0].pk, partners[0].pk + 1)
    result, [summary] = scanned([first])
    assert summary["credentials"] == 9  # one partner's active credentials
    assert {e[1] for e in result["events"]} == {partners[0].pk}
    assert {i[0] for i in result["incidents"] if i[4] is None} == {partners[0].pk, partners[1].pk}
    assert {i[0] for i in result["incidents"] if i[4] is not None} == {partners[0].pk}


def test_a_range_replayed_sends_nothing_more(db, verdicts):
    partners = build_world(2, fail=verdicts.fail)
    r = (partners[0].pk, partners[-1].pk + 1)
    daily_scan(as_of=DAY, partner_range=r)
    before = outcome()
    summary = daily_scan(as_of=DAY, partner_range=r)
    assert outcome() == before and summary["events"] == 0
