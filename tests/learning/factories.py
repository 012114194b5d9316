"""Factories for knowledge sessions and the points ledger."""

from datetime import date

import factory

from core import clock
from learning.models import KnowledgeSession, LearningRecord
from tests.factories import AssociationFactory, IndividualFactory, PartnerFactory
from tests.specializations.factories import (
    FocusAreaFactory,
    PartnerSpecializationFactory,
)


class KnowledgeSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KnowledgeSession
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"KS-{n:04d}")
    title = factory.Sequence(lambda n: f"Knowledge session {n}")
    focus_area = factory.SubFactory(FocusAreaFactory)
    points = 5
    duration_hours = factory.LazyAttribute(lambda o: o.points)
    via_assessment = False

    @factory.post_generation
    def connects(self, create, extracted, **kwargs):
        """connects=[specialization or architecture, ...]"""
        for target in extracted or []:
            if target._meta.model_name == "architecture":
                self.architectures.add(target)
            else:
                self.specializations.add(target)


class LearningRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LearningRecord

    partner = factory.SubFactory(PartnerFactory)
    individual = factory.LazyAttribute(
        lambda o: AssociationFactory(partner=o.partner, individual=IndividualFactory()).individual
    )
    session = factory.SubFactory(KnowledgeSessionFactory)
    occurred_on = date(2017, 1, 15)
    how = "viewed"
    client_record_id = factory.Sequence(lambda n: f"rec-{n}")
    recorded_at = factory.LazyFunction(clock.now)


def build_partner_data(partner):
    """One of each tenant-owned object of this app for `partner` (for the tenancy walk). Sessions are a
    shared catalogue, so the distinctive text is the record's client id."""
    ps = PartnerSpecializationFactory(partner=partner)
    session = KnowledgeSessionFactory(connects=[ps.specialization])
    return [LearningRecordFactory(partner=partner, session=session, client_record_id=f"record of {partner.legal_name}")]
