"""Shared factories. Each capability adds its own factories here or in tests/<app>/factories.py."""

from datetime import date

import factory
from django.contrib.auth import get_user_model

from partners.models import Association, Individual, Partner, Profile, Territory


class TerritoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territory
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"C{n:03d}")
    name = factory.LazyAttribute(lambda o: f"Country {o.code}")


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    legal_name = factory.Sequence(lambda n: f"Partner {n} Ltd")
    vendor_partner_id = factory.Sequence(lambda n: f"P{n:05d}")
    is_registered = True
    registered_on = date(2014, 1, 1)


class IndividualFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Individual

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda o: f"{o.first_name.lower()}.{o.testing_number.lower()}@example.com")
    testing_number = factory.Sequence(lambda n: f"T{n:06d}")


class AssociationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Association

    individual = factory.SubFactory(IndividualFactory)
    partner = factory.SubFactory(PartnerFactory)
    start = date(2015, 1, 1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    password = factory.django.Password("pw-123-secret")


def make_user(role: str, partner=None, individual=None, **kwargs):
    user = UserFactory(is_staff=role == "staff", **kwargs)
    Profile.objects.update_or_create(user=user, defaults={"role": role, "partner": partner, "individual": individual})
    return user
