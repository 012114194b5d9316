"""The portfolio export's cells: points apart as numbers, states in words."""

import pytest

from compliance.exports import points_split, state_labels


@pytest.mark.parametrize(
    ("points", "split"), [("39/75", (39, 75)), ("0/100", (0, 100)), ("", (None, None)), ("n/a", (None, None))]
)
def test_points_are_two_numbers_or_blank(points, split):
    assert points_split(points) == split


@pytest.mark.parametrize(
    ("status", "compliant", "at_risk", "words"),
    [
        ("approved", True, False, ("Approved", "Compliant")),
        ("recert", True, True, ("Re-Cert", "At risk")),
        ("lapsed", False, False, ("Lapsed", "Not compliant")),
        ("revoked", False, True, ("Revoked", "Not compliant")),  # not compliant says more than at risk
    ],
)
def test_states_are_the_words_the_pages_use(status, compliant, at_risk, words):
    assert state_labels(status=status, compliant=compliant, at_risk=at_risk) == words
