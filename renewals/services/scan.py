"""The daily scan, set-based: it reads every active credential in a constant number of queries, asks
`rules.py` what happens to each, and writes one UPDATE per kind of change, one INSERT of events and
one INSERT of notices (each in batches of 2,000). It runs under a row lock (core.locks), so two scans
at the same time run one after the other, and the second finds nothing left to do; every event has
a dedupe key naming the credential and its cycle (its anniversary), so a notice goes out once per
credential per cycle however often a day is replayed."""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from core import clock
from core.locks import job_lock
from core.models import Event
from core.words import plural

from .. import credentials as registry
from .. import rules
from ..credentials import (
    credential_facts,
    credential_key,
    credential_models,
    credential_ref,
    policy_on,
    retired_on,
)
from ..models import RenewalApplication
from .common import (
    PartnerRange,
    active_rows,
    credential_context,
    emit,
    in_range,
    load_related,
    range_lock,
    recipients,
    set_status,
)
from .incidents import NO_INCIDENT_CHANGES, incidents_sync_for

if TYPE_CHECKING:
    from core.models import CredentialBase

logger = logging.getLogger(__name__)

STEP_EVENTS = {  # step: (event kind, notice template, dedupe key prefix)
    rules.RECERT_STEP: ("renewal.opened", "renewal_recert", "renewal-recert"),
    rules.REMINDER_STEP: ("renewal.reminded", "renewal_reminder", "renewal-reminder"),
    rules.LAPSE_STEP: ("credential.lapsed", "credential_lapsed", "credential-lapsed"),
    rules.RETIRE_STEP: ("credential.retired", "credential_retired", "credential-retired"),
}  # the key prefixes predate the kinds' current names: existing rows dedupe replays, so they never change

NOTIFY_MISSING = (rules.RECERT_STEP, rules.REMINDER_STEP)  # notices that list what the renewal still needs
NEW_STATUS = {rules.RECERT_STEP: rules.RECERT, rules.LAPSE_STEP: rules.LAPSED, rules.RETIRE_STEP: rules.LAPSED}


def step_dedupe_key(credential: CredentialBase, step: rules.Step, anniversary: date) -> str:
    prefix = STEP_EVENTS[step.action][2]
    suffix = f":{step.days}" if step.action == rules.REMINDER_STEP else ""
    return f"{prefix}:{credential_ref(credential)}:{anniversary:%Y-%m-%d}{suffix}"


def _step_summary(credential: CredentialBase, step: rules.Step, policy: rules.Policy) -> str:
    ann = f"{credential.anniversary:%Y-%m-%d}"
    if step.action == rules.RECERT_STEP:
        return f"{credential.title} is due for renewal by its anniversary on {ann} (status Re-Cert)"
    if step.action == rules.REMINDER_STEP:
        return f"Reminder: {credential.title} must be renewed; the anniversary is in {plural(step.days or 0, 'day')} ({ann})"
    if step.action == rules.LAPSE_STEP:
        last = rules.last_day_to_submit(credential.anniversary, policy)
        return f"{credential.title} was lost: no renewal was submitted by {last:%Y-%m-%d}"
    return f"{credential.title} was lost: the specialization was retired on {retired_on(credential):%Y-%m-%d}"


@transaction.atomic
def daily_scan(*, as_of: date, partner_range: PartnerRange | None = None) -> dict:
    """Bring every credential's status up to date for `as_of` and send what is due (idempotent).
    `partner_range` (lo, hi): only the partners with lo <= id < hi (None: every partner)."""
    job_lock(range_lock(partner_range))
    policy = policy_on(as_of)
    if policy is None:  # before the renewal policy's first row no credential is up for renewal
        return {"as_of": f"{as_of:%Y-%m-%d}", "credentials": 0, "events": 0, "reminders": 0, **NO_INCIDENT_CHANGES}
    credentials = active_rows(partner_range)  # rows: instances are loaded below for the few acted on
    applications = in_range(RenewalApplication.objects.filter(status=RenewalApplication.SUBMITTED), partner_range)
    renewing = {
        (ct, pk, cycle)
        for ct, pk, cycle, on in applications.values_list(
            "content_type_id", "object_id", "cycle_anniversary", "submitted_on"
        )
        if on <= rules.last_day_to_submit(cycle, policy)
    }  # a late application does not save the credential
    cts = ContentType.objects.get_for_models(*credential_models())
    found = {}
    for row in credentials:
        facts = credential_facts(row, has_live_renewal=(cts[row.model].pk, row.pk, row.anniversary) in renewing)
        step = rules.renewal_step(facts, policy, as_of)
        if step:
            found[row] = step
    verdicts, live = registry.trusted_verdicts(credentials=credentials, as_of=as_of, partner_range=partner_range)
    loaded = registry.instances([*found, *live])
    verdicts.update(registry.verdicts_for(credentials=[loaded[credential_key(row)] for row in live], as_of=as_of))
    steps = {loaded[credential_key(row)]: step for row, step in found.items()}
    for_renewal = registry.verdicts_for(
        credentials=[c for c, s in steps.items() if s.action in NOTIFY_MISSING], as_of=as_of, for_renewal=True
    )
    admins, managers = recipients({c.partner_id for c in steps})
    load_related(steps)

    by_status = defaultdict(list)
    for c, step in steps.items():
        if step.action in NEW_STATUS:
            by_status[NEW_STATUS[step.action]].append(c)
    items = []
    for c, step in steps.items():  # events before the status change: the context shows the cycle
        kind, template, _ = STEP_EVENTS[step.action]
        context = {
            **credential_context(c, policy, for_renewal.get(credential_key(c))),
            "days": step.days,
            "retired_on": retired_on(c),
        }
        event = Event(
            partner_id=c.partner_id,
            kind=kind,
            summary=_step_summary(c, step, policy)[:300],
            dedupe_key=step_dedupe_key(c, step, c.anniversary),
            occurred_at=clock.now(),
            payload={
                "credential": credential_ref(c),
                "anniversary": f"{c.anniversary:%Y-%m-%d}",
                "as_of": f"{as_of:%Y-%m-%d}",
                "policy": policy.id,
                "days": step.days,
                "missing": context["missing"],
            },
        )
        items.append((event, admins[c.partner_id], template, context, managers[c.partner_id]))
    for status, creds in by_status.items():
        set_status(creds, status, as_of)
    sent = emit(items)
    ended = {(type(c), c.pk) for c in steps if c.status not in rules.ACTIVE}
    summary = {
        "as_of": f"{as_of:%Y-%m-%d}",
        "credentials": len(credentials),
        "events": sent,
        **{s: len(c) for s, c in by_status.items()},
        "reminders": sum(1 for s in steps.values() if s.action == rules.REMINDER_STEP),
    }
    active = [row for row in credentials if (row.model, row.pk) not in ended] if ended else credentials
    summary.update(incidents_sync_for(active, verdicts, policy, as_of, partner_range=partner_range, loaded=loaded))
    return summary
