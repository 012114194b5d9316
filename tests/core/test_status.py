"""The one status language (core/status.py): every state once, with its label, sentence and tone; the words a
requirement and a verdict read as; the badge tag."""

from datetime import date

import pytest
from django.template import Context, Template

from certifications.models import CeClaim
from compliance.facts import RequirementResult
from core import status
from core.models import CredentialStatus


def req(met=True, next_step="", due=None, missing="", pending=False):
    return RequirementResult(
        "points", "Continuous Learning points", met, [], missing, "", next_step, due, None, None, pending
    )


def test_every_state_has_a_label_a_sentence_a_tone_and_an_anchor():
    for kind, states in status.STATES.items():
        assert kind in status.KIND_TITLES
        for value, s in states.items():
            assert (s.kind, s.value) == (kind, value)
            assert (
                s.label and s.sentence.endswith(".") and s.tone in {status.OK, status.WARN, status.BAD, status.NEUTRAL}
            )
            assert s.anchor == f"{kind}-{value}".replace("_", "-")
    assert [s.label for s in status.STATES["compliance"].values()] == [
        "Compliant",
        "On track",
        "At risk",
        "Not compliant",
    ]
    assert [s.label for s in status.STATES["requirement"].values()] == ["Met", "Not met yet", "Missed"]


def test_lifecycle_states_are_the_stored_credential_statuses():
    assert status.choices("lifecycle") == list(CredentialStatus.choices)
    assert status.label("lifecycle", "recert") == "Re-Cert"
    assert status.state("lifecycle", "approved").tone == "ok" and status.state("lifecycle", "revoked").tone == "bad"


def test_an_unknown_code_reads_as_itself_in_a_neutral_badge():
    unknown = status.state("lifecycle", "on_hold")
    assert (unknown.label, unknown.tone, unknown.sentence) == ("On hold", "neutral", "")


@pytest.mark.parametrize(
    ("requirement", "value", "text"),
    [
        (req(), "met", "Met"),
        (
            req(next_step="39 points by 2027-02-15", due=date(2027, 2, 15)),
            "not_met_yet",
            "Not met yet: 39 points by 2027-02-15",
        ),
        (
            req(
                met=False, missing="39 points by 2027-02-15", next_step="39 points by 2027-02-15", due=date(2027, 2, 15)
            ),
            "missed",
            "Missed: 39 points by 2027-02-15",
        ),
        (
            req(
                met=False,
                missing="39 points by 2027-02-15",
                next_step="39 points by 2027-02-15",
                due=date(2027, 2, 15),
                pending=True,
            ),
            "not_met_yet",
            "Not met yet: 39 points by 2027-02-15",
        ),
        (
            req(met=False, missing="No Hybrid IT service is on record."),
            "missed",
            "Missed: No Hybrid IT service is on record",
        ),
        (req(next_step="a step without a deadline"), "met", "Met"),
    ],
    ids=["met", "short-with-time-left", "missed", "renewal-asks-early", "missed-without-deadline", "no-deadline"],
)
def test_requirement_words(requirement, value, text):
    assert status.requirement_value(requirement) == value
    assert status.requirement_text(requirement) == text


def test_a_stored_requirement_reads_the_same_as_the_live_one():
    live = req(next_step="39 points by 2027-02-15", due=date(2027, 2, 15))
    stored = {"met": True, "next_step": "39 points by 2027-02-15", "due": "2027-02-15", "missing": ""}
    assert status.requirement_text(stored) == status.requirement_text(live) == "Not met yet: 39 points by 2027-02-15"


def test_compliance_words_from_the_verdicts_own_fields():
    short = req(next_step="39 points by 2027-02-15", due=date(2027, 2, 15))
    assert status.compliance_value(compliant=True, at_risk=False, requirements=[req()]) == "compliant"
    assert status.compliance_value(compliant=True, at_risk=False, requirements=[req(), short]) == "on_track"
    assert status.compliance_value(compliant=True, at_risk=True, requirements=[short]) == "at_risk"
    assert status.compliance_value(compliant=False, at_risk=True, requirements=[short]) == "not_compliant"
    assert status.compliance_label(compliant=False, at_risk=False) == "Not compliant"


def test_the_badge_has_the_sentence_as_tooltip_and_links_to_the_help_anchor():
    html = Template('{% load status %}{% status_badge "compliance" "at_risk" %}').render(Context())
    assert html.startswith('<a class="badge warn" href="/help/#compliance-at-risk"')
    assert f'title="Compliance: At risk. {status.state("compliance", "at_risk").sentence}"' in html
    assert html.endswith(">At risk</a>")


def test_the_requirement_badge_carries_the_shortfall_and_its_deadline():
    short = req(next_step="39 points by 2027-02-15", due=date(2027, 2, 15))
    html = Template("{% load status %}{% requirement_badge r %} {{ r|requirement_text }}").render(Context({"r": short}))
    assert 'href="/help/#requirement-not-met-yet"' in html and ">Not met yet: 39 points by 2027-02-15</a>" in html
    missed = Template("{% load status %}{% requirement_badge r %}").render(Context({"r": req(met=False, missing="x")}))
    assert 'class="badge bad"' in missed and missed.endswith(">Missed</a>")


@pytest.mark.parametrize(
    "code, days_left, value",
    [
        ("active", 91, "active"),
        ("active", 90, "expiring"),  # the window's last day is inside it
        ("active", 0, "expiring"),  # the day of expiry
        ("lapsed", -1, "lapsed"),
        ("not_yet", None, "not_yet"),
    ],
)
def test_a_persons_certification_expires_soon_inside_the_policys_window(code, days_left, value):
    assert status.individual_value(status=code, days_left=days_left, window=90) == value


def test_the_individual_badge_counts_the_days_left_and_explains_itself():
    class Progress:
        status, days_left = "active", 1

    html = Template("{% load status %}{% individual_badge p 90 %}").render(Context({"p": Progress()}))
    assert 'class="badge warn" href="/help/#individual-expiring"' in html and html.endswith(
        ">Expires soon: 1 day left</a>"
    )
    assert 'title="Individual certification: Expires soon. The certification expires within' in html
    assert status.choices("claim") == [("pending", "Pending"), ("earned", "Earned"), ("rejected", "Rejected")]
    assert status.choices("claim") == list(CeClaim.Status.choices)  # the stored codes, in the same words
