"""Demo CSAT responses (some low, one without follow-up), then the verdicts of every demo credential."""

from datetime import timedelta

from django.db import transaction

from core import clock
from partners import selectors as partner_selectors

from .models import FollowUp, MeasurementDate, SurveyResponse

# partner, country, responses before the last measurement date, low scores among them (the first followed up)
RESPONSES = [("ACME", "DE", 9, 2), ("ACME", "NL", 12, 0), ("GLOBEX", "FR", 18, 1), ("INITECH", "GB", 3, 1)]
CUSTOMERS = ["Contoso", "Fabrikam", "Northwind", "Tailspin", "Wingtip", "Litware", "Proseware", "Adventure Works"]


@transaction.atomic
def load(stdout):
    today = clock.today()
    last = MeasurementDate.objects.filter(date__lte=today).order_by("-date").first()
    anchor = last.date if last else today
    partners = partner_selectors.partners_by_vendor_id(r[0] for r in RESPONSES)
    territories = partner_selectors.territories_by_code()
    for pid, code, count, low in RESPONSES:
        partner, territory = partners.get(pid), territories.get(code.upper())
        if partner is None or territory is None:
            continue
        for i in range(count):
            received = anchor - timedelta(days=i * 14)  # counted at the last and the next measurement
            response, created = SurveyResponse.objects.get_or_create(
                reference=f"DEMO-{pid}-{code}-{i}",
                defaults={
                    "partner": partner,
                    "territory": territory,
                    "customer": CUSTOMERS[i % len(CUSTOMERS)],
                    "received_on": received,
                    "score": 4 + i % 2 if 1 <= i <= low else 8 + i % 3,
                },
            )
            if created and i == 1 and low:
                FollowUp.objects.create(
                    response=response,
                    recorded_on=received + timedelta(days=3),
                    note="Called the customer; replacement unit shipped.",
                )
    stdout.write("CSAT: demo responses in place.")
