import ast
import importlib
from pathlib import Path

import pytest

from core import clock
from core.event_kinds import KIND_STYLE, KINDS, check_kind
from core.events import event_record, events_record_many
from core.models import Event

ROOT = Path(__file__).resolve().parents[2]
APPS = [
    "core",
    "partners",
    "specializations",
    "learning",
    "certifications",
    "csat",
    "compliance",
    "renewals",
    "loyalty",
]
RECORDERS = {"event_record", "Event", "_incident_event"}


def _kinds_in_code():
    """(literal kinds, f-string kind sites) passed to event_record(kind=...), Event(kind=...) and the incident
    events, in every app's code (migrations aside)."""
    literals, dynamic = set(), []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if not isinstance(node, ast.Call):
                    continue
                name = getattr(node.func, "id", getattr(node.func, "attr", None))
                if name not in RECORDERS:
                    continue
                args = [k.value for k in node.keywords if k.arg == "kind"]
                if name == "_incident_event" and len(node.args) > 2:
                    args.append(node.args[2])
                for arg in args:
                    if isinstance(arg, ast.Constant):
                        literals.add(arg.value)
                    elif isinstance(arg, ast.JoinedStr):
                        dynamic.append(f"{path.relative_to(ROOT)}")
    return literals, dynamic


def test_kinds_follow_one_style_and_have_a_sentence():
    assert [k for k in KINDS if not KIND_STYLE.match(k)] == []
    assert all(sentence.strip() for sentence in KINDS.values())


def test_every_kind_used_in_the_code_is_listed():
    literals, dynamic = _kinds_in_code()
    assert len(literals) > 30
    assert sorted(literals - set(KINDS)) == []
    # The kinds built at run time: the renewal scan's steps, the partner records and certification ends.
    scan = importlib.import_module("renewals.services.scan")
    records = importlib.import_module("compliance.services.records")
    built = {kind for kind, _, _ in scan.STEP_EVENTS.values()}
    built |= {f"{noun}.{verb}" for noun in records.EVENT_NOUNS.values() for verb in ("saved", "verified", "deleted")}
    built |= {"certification.lapsed", "certification.revoked"}
    assert sorted(built - set(KINDS)) == []
    assert sorted(set(dynamic)) == ["compliance/services/certifications.py", "compliance/services/records.py"]


def test_renamed_kinds_are_listed_and_the_old_names_are_gone():
    migration = importlib.import_module("core.migrations.0004_event_kind_style")
    assert set(migration.RENAMED.values()) <= set(KINDS)
    assert not set(migration.RENAMED) & set(KINDS)


def test_job_keys_keep_their_old_prefixes():
    scan = importlib.import_module("renewals.services.scan")
    incidents = importlib.import_module("renewals.services.incidents")
    assert [prefix for _, _, prefix in scan.STEP_EVENTS.values()] == [
        "renewal-recert",
        "renewal-reminder",
        "credential-lapsed",
        "credential-retired",
    ]
    assert sorted(incidents.KEY_PREFIXES.values()) == ["incident-closed", "incident-flagged", "incident-opened"]


def test_an_unknown_kind_is_refused(partner_a):
    with pytest.raises(ValueError):
        check_kind("renewal-submitted")
    with pytest.raises(ValueError):
        event_record(kind="partner.renamed", summary="x", partner=partner_a)
    with pytest.raises(ValueError):
        events_record_many([Event(kind="nope", summary="x", partner=partner_a)])
    assert not Event.objects.exists()


def test_an_event_without_a_key_is_recorded_each_time(partner_a):
    first, made = event_record(kind="partner.updated", summary="once", partner=partner_a)
    second, made_again = event_record(kind="partner.updated", summary="twice", partner=partner_a)
    assert made and made_again and first.pk != second.pk
    assert Event.objects.filter(kind="partner.updated", dedupe_key__isnull=True).count() == 2


def test_an_event_with_a_key_is_recorded_once(partner_a):
    first, made = event_record(kind="renewal.reminded", summary="once", partner=partner_a, dedupe_key="k:1")
    again, made_again = event_record(kind="renewal.reminded", summary="twice", partner=partner_a, dedupe_key="k:1")
    assert made and not made_again and again.pk == first.pk
    assert Event.objects.filter(dedupe_key="k:1").count() == 1


def test_record_many_skips_existing_keys_and_keeps_keyless_events(partner_a):
    event_record(kind="loyalty.award_issued", summary="earlier", partner=partner_a, dedupe_key="award:1")
    now = clock.now()

    def event(kind, summary, key=None):
        return Event(kind=kind, summary=summary, partner=partner_a, dedupe_key=key, occurred_at=now)

    created = events_record_many(
        [
            event("loyalty.award_issued", "again", "award:1"),
            event("loyalty.award_issued", "new", "award:2"),
            event("partner.updated", "no key"),
            event("partner.updated", "no key"),
        ]
    )
    assert sorted(e.summary for e in created) == ["new", "no key", "no key"]
    assert Event.objects.get(dedupe_key="award:1").summary == "earlier"
    assert Event.objects.get(dedupe_key="award:2").summary == "new"
    assert Event.objects.filter(kind="partner.updated").count() == 2
