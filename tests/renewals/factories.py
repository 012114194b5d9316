"""Factories for renewal applications and non-compliance incidents."""

from datetime import date, timedelta

import factory
from django.contrib.contenttypes.models import ContentType

from core import clock
from renewals.models import NonComplianceIncident, RenewalApplication
from tests.specializations.factories import PartnerSpecializationFactory


class RenewalApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RenewalApplication
        exclude = ["of"]

    of = factory.SubFactory(PartnerSpecializationFactory)
    partner = factory.LazyAttribute(lambda o: o.of.partner)
    content_type = factory.LazyAttribute(lambda o: ContentType.objects.get_for_model(o.of))
    object_id = factory.LazyAttribute(lambda o: o.of.pk)
    cycle_anniversary = factory.LazyAttribute(lambda o: o.of.anniversary)
    submitted_at = factory.LazyFunction(clock.now)
    submitted_on = factory.LazyAttribute(lambda o: o.of.anniversary - timedelta(days=10))


class IncidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NonComplianceIncident
        exclude = ["of"]

    of = factory.SubFactory(PartnerSpecializationFactory)
    partner = factory.LazyAttribute(lambda o: o.of.partner)
    content_type = factory.LazyAttribute(lambda o: ContentType.objects.get_for_model(o.of))
    object_id = factory.LazyAttribute(lambda o: o.of.pk)
    opened_on = date(2026, 3, 1)
    acknowledge_by = date(2026, 3, 31)


def ensure_shipped_data():
    """Re-load what the data migrations ship (an earlier transactional test's flush drops it)."""
    from importlib import import_module

    from django.apps import apps

    from tests.compliance.factories import ensure_default_program

    ensure_default_program()
    import_module("learning.migrations.0003_default_points_policy").forwards(apps, None)
    import_module("renewals.migrations.0003_default_renewal_policy").forward(apps, None)


def build_partner_data(partner):
    """One of each tenant-owned object of this app for `partner` (for the tenancy walk)."""
    held = PartnerSpecializationFactory(partner=partner)  # the catalogue is public: no partner text in it
    return [
        RenewalApplicationFactory(of=held, decision_note=f"Renewal note for {partner.legal_name}"),
        IncidentFactory(of=held, unmet=[{"label": f"Incident of {partner.legal_name}", "missing": "points"}]),
    ]
