from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from learning import rules
from learning.models import PointsPolicy
from learning.selectors import policy_rows
from tests.learning.factories import KnowledgeSessionFactory

pytestmark = pytest.mark.django_db


def test_staff_add_a_new_period_and_earlier_verdicts_keep_their_policy():
    current = PointsPolicy.objects.get(kind="architecture", effective_to__isnull=True)
    overlapping = PointsPolicy(kind="architecture", label="2027", effective_from=date(2027, 1, 1), required_points=120)
    with pytest.raises(ValidationError, match="overlaps"):
        overlapping.full_clean()
    current.effective_to = date(2026, 12, 31)
    current.full_clean()
    current.save()
    overlapping.full_clean()
    overlapping.save()
    policies = policy_rows()
    assert rules.policy_for(policies, "architecture", date(2026, 12, 31)).required_points == 100
    assert rules.policy_for(policies, "architecture", date(2027, 1, 1)).required_points == 120


def test_session_points_are_1_5_10_or_20_only():
    with pytest.raises(ValidationError):
        KnowledgeSessionFactory.build(points=3, focus_area=KnowledgeSessionFactory().focus_area).full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        KnowledgeSessionFactory(points=3)
