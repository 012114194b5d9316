from datetime import date

import factory

from csat.models import FollowUp, SurveyResponse
from tests.factories import PartnerFactory, TerritoryFactory


class SurveyResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SurveyResponse

    partner = factory.SubFactory(PartnerFactory)
    territory = factory.SubFactory(TerritoryFactory)
    customer = factory.Sequence(lambda n: f"Customer {n}")
    received_on = date(2025, 10, 1)
    score = 9
    valid = True


def responses(partner, territory, n, on, **kwargs):
    return [SurveyResponseFactory(partner=partner, territory=territory, received_on=on, **kwargs) for _ in range(n)]


def build_partner_data(partner):
    territory = TerritoryFactory()
    partner.territories.add(territory)
    low = SurveyResponseFactory(
        partner=partner, territory=territory, score=3, customer=f"Distinct customer of {partner.legal_name}"
    )
    follow = FollowUp.objects.create(response=low, recorded_on=date(2025, 10, 5), note=f"Called back {partner.pk}")
    return [low, follow]
