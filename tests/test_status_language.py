"""One status language across the portal (issue 13): the pages, the API, the CSV export and the notice emails use
core.status's words; the help page explains them with the program's figures read from the policy rows; a points
shortfall with time left reads "Not met yet: N points by DATE"; after an approved renewal the credential's pages
show the next cycle."""

import csv
import io
from datetime import date, timedelta
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from compliance.services.recompute import verdicts_recompute
from core.models import Policy
from renewals.models import RenewalPolicy
from renewals.services import applications
from tests.learning.factories import KnowledgeSessionFactory, LearningRecordFactory
from tests.specializations.factories import PartnerSpecializationFactory

pytestmark = pytest.mark.django_db

ANN = date(2026, 8, 1)


def at(day):
    return time_machine.travel(f"{day.isoformat()} 12:00:00-07:00", tick=False)


@pytest.fixture
def held(partner_a):
    """An Advanced Architecture specialization (100 points required) with no points yet, renewing on ANN."""
    ps = PartnerSpecializationFactory(partner=partner_a, certified_on=date(2024, 8, 1), anniversary=ANN)
    partner_a.territories.add(ps.territory)
    return ps


def portfolio_words(client):
    """The compliance of the one credential as the page, the API and the CSV export say it."""
    page = client.get("/compliance/portfolio/").content.decode()
    [row] = client.get("/api/v1/portfolio/").json()["results"]
    content = b"".join(client.get("/compliance/portfolio/?export=csv").streaming_content).decode()
    header, line = list(csv.DictReader(io.StringIO(content))), None
    [line] = header
    return page, row, line


@pytest.mark.parametrize(
    ("day", "word", "code"),
    [(ANN - timedelta(days=122), "On track", "on_track"), (ANN - timedelta(days=90), "At risk", "at_risk")],
)
def test_pages_api_and_csv_say_the_same_words(client, manager, admin_a, partner_a, held, day, word, code):
    with at(day):
        verdicts_recompute(partner_ids=None, as_of=day)
        client.force_login(manager)
        page, row, line = portfolio_words(client)
        assert f'data-status="compliance-{code.replace("_", "-")}">{word}</a>' in page
        assert "Continuous Learning points: Not met yet: 100 points by 2026-08-01" in page
        assert (row["compliance"], row["compliance_label"], row["status"], row["status_label"]) == (
            code,
            word,
            "approved",
            "Approved",
        )
        assert (line["compliance"], line["status"]) == (word, "Approved")
        assert row["compliant"] is True  # the stable fields keep their values

        client.force_login(admin_a)
        shortfall = "Not met yet: 100 points by 2026-08-01"
        compliance = client.get(f"/partners/{partner_a.pk}/compliance/").content.decode()
        assert f">{shortfall}</a>" in compliance and f">{word}</a>" in compliance
        assert "— met" not in compliance  # never "met" beside "100 points are still missing"
        listing = client.get(reverse("partner-specializations", args=[partner_a.pk])).content.decode()
        detail = client.get(reverse("partner-specialization-detail", args=[held.pk])).content.decode()
        assert f">{shortfall}</a>" in listing and f">{shortfall}</a>" in detail
        renewal = client.get(f"/renewals/partnerspecialization/{held.pk}/").content.decode()
        assert f">{shortfall}</a>" in renewal
        verdicts = client.get(f"/api/v1/verdicts/?partner={partner_a.pk}").json()
        [requirement] = (
            verdicts[0]["requirements"] if isinstance(verdicts, list) else verdicts["results"][0]["requirements"]
        )
        assert (requirement["met"], requirement["state"], requirement["state_label"]) == (
            True,
            "not_met_yet",
            shortfall,
        )


def test_the_recert_email_uses_the_same_words(partner_a, admin_a, held, django_capture_on_commit_callbacks):
    day = ANN - timedelta(days=90)
    with at(day), django_capture_on_commit_callbacks(execute=True):
        call_command("run_daily", stdout=StringIO())
    [message] = [m for m in mail.outbox if m.subject.startswith("Re-certification")]
    assert "its status is now Re-Cert." in message.body
    assert "- Continuous Learning points (Not met yet): 100 points by 2026-08-01" in message.body
    assert (
        "<strong>Continuous Learning points</strong> (Not met yet): 100 points by 2026-08-01"
        in message.alternatives[0][0]
    )


def test_a_missed_requirement_reads_missed_and_not_compliant_is_explained_beside_approved(
    client, admin_a, partner_a, held
):
    with at(ANN):
        client.force_login(admin_a)
        html = client.get(f"/partners/{partner_a.pk}/compliance/").content.decode()
    assert 'data-status="requirement-missed">Missed</a>' in html
    assert 'data-status="compliance-not-compliant">Not compliant</a>' in html
    assert 'data-status="lifecycle-approved">Approved</a>' in html
    assert "Renewal status Approved, but not compliant today: Continuous Learning points missed." in html


def test_the_help_page_explains_the_words_with_the_figures_in_force(client, admin_a, held):
    today = date(2026, 12, 3)
    with at(today):
        assert client.get("/help/").status_code == 302  # login required
        client.force_login(admin_a)
        html = client.get("/help/").content.decode()
        assert 'id="requirement-not-met-yet"' in html and 'id="compliance-on-track"' in html
        assert 'id="lifecycle-recert"' in html and "The renewal window is open" in html
        assert "at least <strong>10</strong> valid responses" in html and "<strong>90</strong> days before" in html
        assert "<td>Advanced Architecture</td><td>100</td>" in html
        assert "2027-01-31" in html  # the next measurement date
        # Staff change the program: the page follows the rows, no figure is in the code.
        Policy.objects.create(key="csat.recert_responses", effective_from=today, value=12)
        current = RenewalPolicy.objects.in_force(today)
        RenewalPolicy.objects.create(
            effective_from=today,
            recert_window_days=60,
            reminder_days=[14],
            lapse_after_days=current.lapse_after_days,
            acknowledge_days=current.acknowledge_days,
        )
        html = client.get("/help/").content.decode()
    assert "at least <strong>12</strong> valid responses" in html and "<strong>60</strong> days before" in html
    assert "Reminders follow 14 days before" in html
    assert "Help: status words and rules" in client.get(f"/partners/{held.partner_id}/compliance/").content.decode()


def test_after_an_early_approval_the_pages_show_the_next_cycle(client, admin_a, manager, individual_a, partner_a, held):
    for n in range(5):
        session = KnowledgeSessionFactory(points=20, duration_hours=20, connects=[held.specialization])
        LearningRecordFactory(
            partner=partner_a, individual=individual_a, session=session, occurred_on=date(2026, 3, 1 + n)
        )
    application = applications.renewal_submit(credential=held, actor=admin_a, as_of=date(2026, 6, 1))
    with at(date(2026, 6, 2)):
        applications.renewal_approve(application=application, actor=manager)
        held.refresh_from_db()
        assert (held.anniversary, held.last_renewed_on, held.renewed_on) == (date(2027, 8, 1), ANN, date(2026, 6, 2))
        client.force_login(admin_a)
        detail = client.get(reverse("partner-specialization-detail", args=[held.pk])).content.decode()
        assert "Points 0/100" in detail  # not the renewed cycle's 100/100 until the old anniversary
        assert ">Not met yet: 100 points by 2027-08-01</a>" in detail
        assert "<tr><th>Days left</th><td>425</td></tr>" in detail  # counting towards the new anniversary
        assert "Renewed cycle: 100/100 points for the anniversary 2026-08-01" in detail  # history
        assert 'href="?as_of=2026-06-01"' in detail
        history = client.get(reverse("partner-specialization-detail", args=[held.pk]), {"as_of": "2026-06-01"})
        assert "Points 100/100" in history.content.decode()
        listing = client.get(reverse("partner-specializations", args=[partner_a.pk])).content.decode()
        assert "0/100" in listing and "in 425 days" in listing


def test_the_openapi_document_describes_the_words_next_to_the_codes(tmp_path):
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--api-version", "v1", "--file", str(out))
    text = " ".join(out.read_text().split())  # YAML folds long descriptions
    for field in ("status_label:", "compliance_label:", "state_label:"):
        assert field in text
    assert "recert = Re-Cert" in text and "not_met_yet" in text
