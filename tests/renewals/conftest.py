"""Shared fixtures of the renewal tests: credentials, their verdicts, the partner's people."""

from datetime import date

import pytest

from compliance.facts import RequirementResult, verdict_of
from renewals import credentials as registry
from tests.factories import make_user
from tests.specializations.factories import PartnerSpecializationFactory


class Verdicts:
    """The compliance engine's answer, set per credential by the test (compliant unless told)."""

    def __init__(self):
        self.unmet = {}

    def fail(self, credential, label="Continuous Learning points", missing="25 more points are needed (75/100)."):
        self.unmet[registry.credential_key(credential)] = [(label, missing)]

    def comply(self, credential):
        self.unmet.pop(registry.credential_key(credential), None)

    def __call__(self, *, credentials, as_of, for_renewal=False):
        result = {}
        for c in credentials:
            results = [
                RequirementResult(key=label, label=label, met=False, evidence=[], missing=missing, policy="test")
                for label, missing in self.unmet.get(registry.credential_key(c), [])
            ]
            result[registry.credential_key(c)] = verdict_of(requirements=results, requirement_set="test", as_of=as_of)
        return result


@pytest.fixture
def verdicts(monkeypatch):
    fake = Verdicts()
    monkeypatch.setattr(registry, "verdicts_for", fake)
    return fake


@pytest.fixture
def people(partner_a, admin_a, manager):
    """Partner A's admin (admin-a@example.com) and its account manager (manager-a@example.com)."""
    return {
        "admin": admin_a,
        "manager": manager,
        "member": make_user("partner_member", partner=partner_a, username="member-x"),
    }


@pytest.fixture
def held(partner_a, people, verdicts):
    """Partner A holds a specialization whose anniversary is 2026-08-01."""
    return PartnerSpecializationFactory(partner=partner_a, certified_on=date(2024, 8, 1), anniversary=date(2026, 8, 1))
