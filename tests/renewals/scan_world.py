"""A small program on one scan day where every kind of scan outcome happens, and its observable outcome."""

import re
from datetime import date, timedelta

from django.db import transaction

from compliance.models import PartnerCertification
from core.models import Event, Notice
from renewals.models import NonComplianceIncident
from renewals.services.scan import daily_scan
from specializations.models import PartnerSpecialization
from tests.compliance.factories import certify
from tests.factories import PartnerFactory, make_user
from tests.renewals.factories import IncidentFactory, RenewalApplicationFactory
from tests.specializations.factories import PartnerSpecializationFactory, SpecializationFactory

DAY = date(2026, 5, 3)


def build_world(n_partners=4, fail=None):
    """Per partner: a credential entering Re-Cert, one due its 30-day reminder, one lapsing, one saved by its
    renewal, one failing (an incident opens), one failing past its acknowledgement deadline (flagged), one
    compliant again (its incident closes), a lapsed one whose incident ends, a quiet one, and a certification:
    ten credentials.
    `fail(credential)` is called for the credentials meant to fail (the certification among them). Returns the
    partners."""
    partners = PartnerFactory.create_batch(n_partners)
    specs = SpecializationFactory.create_batch(9)
    for p in partners:
        make_user("partner_admin", partner=p)
        manager = make_user("account_manager")
        p.account_managers.add(manager)

        def held(n, anniversary, p=p, **kw):
            return PartnerSpecializationFactory(
                partner=p,
                specialization=specs[n],
                certified_on=anniversary - timedelta(days=730),
                anniversary=anniversary,
                **kw,
            )

        entering = held(0, DAY + timedelta(days=90))
        held(1, DAY + timedelta(days=30), status="recert", status_changed_on=DAY - timedelta(days=60))
        held(2, DAY - timedelta(days=31), status="recert", status_changed_on=DAY - timedelta(days=121))
        saved = held(3, DAY - timedelta(days=31), status="recert", status_changed_on=DAY - timedelta(days=121))
        RenewalApplicationFactory(of=saved, submitted_on=DAY - timedelta(days=40))
        failing = held(4, DAY + timedelta(days=200))
        flagged = held(5, DAY + timedelta(days=200))
        IncidentFactory(of=flagged, opened_on=DAY - timedelta(days=40), acknowledge_by=DAY - timedelta(days=10))
        again = held(6, DAY + timedelta(days=200))
        IncidentFactory(of=again, opened_on=DAY - timedelta(days=40), acknowledge_by=DAY - timedelta(days=10))
        ended = held(7, DAY - timedelta(days=100), status="lapsed", status_changed_on=DAY - timedelta(days=69))
        IncidentFactory(of=ended, opened_on=DAY - timedelta(days=120), acknowledge_by=DAY - timedelta(days=90))
        held(8, DAY + timedelta(days=300))  # nothing happens to it
        cert = certify(p, entering.territory, on=DAY - timedelta(days=200))
        if fail:
            for c in (entering, failing, flagged, cert):
                fail(c)
    return partners


def scanned(ranges=(None,), day=DAY):
    """The outcome of scanning these partner ranges on `day`, one after the other, undone afterwards; and the
    scans' summaries."""
    with transaction.atomic():
        summaries = [daily_scan(as_of=day, partner_range=r) for r in ranges]
        result = outcome()
        transaction.set_rollback(True)
    return result, summaries


def _plain(text):
    return re.sub(r"incidents/\d+/", "incidents/N/", text)  # incident ids differ between runs


def outcome():
    """What the scan left behind: statuses, events, notices and incidents, free of row ids."""
    incidents = {i.pk: i.object_id for i in NonComplianceIncident.objects.all()}

    def event_key(e):
        if e.kind.startswith("incident."):
            return (e.kind, e.partner_id, e.summary, incidents[e.payload["incident"]])
        return (e.kind, e.partner_id, e.summary, e.dedupe_key, sorted(e.payload.items(), key=str))

    return {
        "statuses": sorted(
            [*PartnerSpecialization.objects.values_list("pk", "status", "status_changed_on")]
            + [*PartnerCertification.objects.values_list("pk", "status", "status_changed_on")]
        ),
        "events": sorted(map(event_key, Event.objects.all()), key=str),
        "notices": sorted(
            (event_key(n.event), n.recipient, n.subject, _plain(n.body_text), tuple(n.cc))
            for n in Notice.objects.select_related("event")
        ),
        "incidents": sorted(
            NonComplianceIncident.objects.values_list(
                "partner_id",
                "object_id",
                "opened_on",
                "acknowledge_by",
                "closed_on",
                "resolution",
                "flagged_for_revocation_on",
                "unmet",
            ),
            key=str,
        ),
    }
