"""Words for people, not codes: what the pages show instead of event kinds, policy keys, internal ids, Django's
"---------" and its default names; the demo walked as every role."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date
from html.parser import HTMLParser
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from compliance.models import PartnerCertification
from core.event_kinds import KINDS
from core.events import event_record
from learning import services as learning_services
from learning.models import LearningRecord
from tests.demo_walk import walk
from tests.factories import AssociationFactory, IndividualFactory, TerritoryFactory
from tests.learning.factories import KnowledgeSessionFactory

DASHES = "---------"
POLICY_KEY = re.compile(r"\b[a-z_]+\.[a-z_]+=\d")  # csat.new_responses=10
WRONG = [
    re.compile(r"\ba [aeiou]\w+", re.IGNORECASE),  # "a architecture"
    re.compile(r"\.;"),
    re.compile(r"\b1 (rows|lines|records|points|days|credits|responses) (have|are|were)\b"),
    re.compile(r"\.\s+by\b"),  # "submitted. by staff"
    re.compile(r"Exam passs|Ce claims|\bpasss\b"),
    re.compile(r"\bcsv:[0-9a-f]{6}"),
]
ALLOWED_A = {"a user", "a uniform", "a unique", "a one"}


class _Text(HTMLParser):
    """The text a person reads (scripts and styles left out)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def read(html: str) -> _Text:
    parsed = _Text()
    parsed.feed(html)
    return parsed


def text_of(response: Any) -> str:
    return re.sub(r"\s+", " ", " ".join(read(response.content.decode()).parts))


def problems(text: str) -> list[str]:
    found = [k for k in KINDS if k in text]
    found += [DASHES] if DASHES in text else []
    found += [m.group(0) for m in POLICY_KEY.finditer(text)]
    for pattern in WRONG:
        found += [m.group(0) for m in pattern.finditer(text) if m.group(0).lower() not in ALLOWED_A]
    return found


# --- The demo, walked as each role ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The demo program and partners, rolled back after the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def walk_words(user: Any, limit: int = 120) -> dict[str, list[str]]:
    """Every page reachable from the home page by links (at most `limit`), and what each shows that it should not."""
    client = Client()
    client.force_login(user)
    found = {}
    for url, response, _ in walk(client, limit=limit, skip_query=("export", "page=")):
        assert response.status_code < 500, url
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            bad = problems(text_of(response))
            if bad:
                found[url] = bad
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["staff", "manager", "acme-admin", "anna", "captain"])
def test_no_page_of_the_demo_shows_codes_dashes_or_slips(demo: None, username: str) -> None:
    user = get_user_model().objects.get(username=username)
    assert walk_words(user) == {}


@pytest.mark.django_db
def test_the_demo_timeline_names_the_credential_and_country_in_words(demo: None) -> None:
    client = Client()
    client.force_login(get_user_model().objects.get(username="acme-admin"))
    cert = PartnerCertification.objects.select_related("partner").get(
        partner__legal_name__startswith="Acme", territory__name="Germany"
    )
    text = text_of(client.get(f"/partners/{cert.partner_id}/timeline/"))
    assert "Compliance Premier · Germany is " in text
    assert "Incident Premier · Germany is not compliant (" in text
    assert "compliance.verdict_changed" not in text and "incident.opened" not in text


@pytest.mark.django_db
def test_the_renewal_page_shows_the_incidents_on_its_credential(demo: None) -> None:
    client = Client()
    client.force_login(get_user_model().objects.get(username="acme-admin"))
    cert = PartnerCertification.objects.get(partner__legal_name__startswith="Acme", territory__name="Germany")
    response = client.get(f"/renewals/partnercertification/{cert.pk}/")
    text = text_of(response)
    assert "Renewal of Premier · Germany" in text
    assert "Non-compliance incidents" in text and "Incident #" in text
    timeline = text[text.index("Timeline") :]
    assert "Incident Premier · Germany is not compliant (" in timeline
    assert "Compliance Premier · Germany is not compliant on " in timeline
    other = PartnerCertification.objects.exclude(pk=cert.pk).filter(partner=cert.partner).first()
    if other is not None:  # another credential of the same partner shows none of this one's incidents
        assert "Incident #" not in text_of(client.get(f"/renewals/partnercertification/{other.pk}/"))


@pytest.mark.django_db
def test_the_csat_requirement_cites_its_policy_in_words(demo: None) -> None:
    client = Client()
    client.force_login(get_user_model().objects.get(username="acme-admin"))
    partner = PartnerCertification.objects.get(partner__legal_name__startswith="Acme", territory__name="Germany")
    text = text_of(client.get(f"/partners/{partner.partner_id}/compliance/"))
    assert "Policy: CSAT policy from 2014-11-15: 10 valid responses at each measurement" in text
    assert not POLICY_KEY.search(text)


# --- Forms, the admin, the ledger ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_forms_name_their_empty_choice(client: Client, admin_a: Any, partner_a: Any) -> None:
    partner_a.territories.add(TerritoryFactory(code="DE", name="Germany"))
    AssociationFactory(partner=partner_a, individual=IndividualFactory())
    client.force_login(admin_a)
    for url, wanted in [
        (f"/partners/{partner_a.pk}/compliance/hybrid-it/new/", ["Choose a country…", "Choose a kind…"]),
        (f"/partners/{partner_a.pk}/compliance/capability/new/", ["Choose a capability…"]),
        (f"/partners/{partner_a.pk}/compliance/agreement/new/", ["Choose a country…"]),
        (f"/partners/{partner_a.pk}/learning/new/", ["Choose an individual…", "Choose a knowledge session…"]),
        (f"/partners/{partner_a.pk}/learning/", ["How: any"]),
    ]:
        html = client.get(url).content.decode()
        assert DASHES not in html, url
        assert all(w in html for w in wanted), (url, [w for w in wanted if w not in html])


@pytest.mark.django_db
def test_the_admin_names_models_as_people_do(client: Client, staff_user: Any) -> None:
    staff_user.is_superuser = True
    staff_user.save()
    client.force_login(staff_user)
    index = text_of(client.get("/admin/"))
    for name in ("Exam passes", "CE claims", "CE renewal paths", "Non-compliance incidents", "Follow-ups"):
        assert name in index, name
    assert "Exam passs" not in index and "Ce claims" not in index and "Deliverys" not in index
    assert "Select exam pass to " in text_of(client.get("/admin/certifications/exampass/"))
    assert "Select CE claim to " in text_of(client.get("/admin/certifications/ceclaim/"))
    events = text_of(client.get("/admin/core/event/"))
    assert "A credential became compliant or not compliant" in events  # the kind filter, in words
    for url in ("/admin/partners/partner/", "/admin/partners/profile/add/", "/admin/learning/knowledgesession/add/"):
        html = client.get(url).content.decode()
        assert DASHES not in html, url
    assert "Choose an action…" in text_of(client.get("/admin/partners/partner/"))
    assert "Choose a role…" in text_of(client.get("/admin/partners/profile/add/"))


@pytest.mark.django_db
def test_a_reversal_is_a_negative_line_in_the_ledger(client: Client, admin_a: Any, partner_a: Any) -> None:
    person = AssociationFactory(partner=partner_a, individual=IndividualFactory(first_name="Ada")).individual
    session = KnowledgeSessionFactory(points=10, title="Zero trust workshop")
    record = learning_services.learning_record_create(
        partner=partner_a,
        individual=person,
        session=session,
        occurred_on=date(2026, 1, 5),
        how="viewed",
        client_record_id="t:1",
        actor=admin_a,
        source="form",
    )
    client.force_login(admin_a)
    response = client.post(f"/learning-records/{record.pk}/reverse/", {"reason": "Wrong person"}, follow=True)
    text = text_of(response)
    assert "Entry #" in text and "reversed: its 10 points are taken back." in text
    reversal = LearningRecord.objects.get(reversal_of=record)
    rows = re.findall(r"<tr>(.*?)</tr>", response.content.decode(), re.S)
    line = next(r for r in rows if f"<td>{reversal.pk}</td>" in r)
    assert "<td>\u221210</td>" in line and "Form" in line
    timeline = text_of(client.get(f"/partners/{partner_a.pk}/timeline/"))
    assert (
        "Ada" in timeline and "“Zero trust workshop” of 2026-01-05 reversed (\u221210 points): Wrong person" in timeline
    )


@pytest.mark.django_db
def test_timeline_lines_end_before_the_actor(client: Client, admin_a: Any, partner_a: Any) -> None:
    event_record(kind="renewal.submitted", partner=partner_a, actor=admin_a, summary="Renewal of X submitted.")
    client.force_login(admin_a)
    text = text_of(client.get(f"/partners/{partner_a.pk}/timeline/"))
    assert f"Renewal Renewal of X submitted by {admin_a}" in text
    assert "renewal.submitted" not in text
