"""Demo partners and logins. Idempotent: every row is found by its natural key before it is made."""

from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction

from .models import Association, Individual, Partner, Profile, Territory

DEMO_PASSWORD = "portal-demo-2026"

COUNTRIES = [
    ("DE", "Germany"),
    ("FR", "France"),
    ("NL", "Netherlands"),
    ("BE", "Belgium"),
    ("LU", "Luxembourg"),
    ("GB", "United Kingdom"),
    ("US", "United States"),
    ("AU", "Australia"),
]
GROUPS = [("BENELUX", "Benelux", ["BE", "NL", "LU"])]
PARTNERS = [
    ("ACME", "Acme Networks GmbH", ["DE", "NL"]),
    ("GLOBEX", "Globex Systems SARL", ["FR", "BENELUX"]),
    ("INITECH", "Initech Integration Ltd", ["GB"]),
]
PEOPLE = [
    ("ACME", "Anna", "Schmidt", "CSCO10001"),
    ("ACME", "Bernd", "Keller", "CSCO10002"),
    ("ACME", "Clara", "Vogel", "CSCO10003"),
    ("GLOBEX", "Denis", "Moreau", "CSCO20001"),
    ("GLOBEX", "Elise", "Laurent", "CSCO20002"),
    ("INITECH", "Frank", "Oakes", "CSCO30001"),
]
# username, role, partner, individual testing number
# The logins this demo adds, for the one block `seed_demo` prints (config/management/commands/seed_demo.py).
LOGINS = [
    ("staff", "program staff (also the Django admin at /admin/)"),
    ("manager", "account manager for Acme and Globex"),
    ("acme-admin", "partner admin of Acme Networks"),
    ("globex-admin", "partner admin of Globex Systems"),
    ("anna", "partner member (Anna Schmidt, Acme)"),
]
USERS = [
    ("staff", "staff", None, None),
    ("manager", "account_manager", None, None),
    ("acme-admin", "partner_admin", "ACME", None),
    ("globex-admin", "partner_admin", "GLOBEX", None),
    ("anna", "partner_member", "ACME", "CSCO10001"),
]


def demo_user(username, role, partner=None, individual=None, vendor_login_id=""):
    """A demo login with the demo password and its profile (other apps' demos use it too)."""
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username, defaults={"email": f"{username}@example.com"})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.is_staff = user.is_superuser = role == "staff"
        user.save()
    defaults = {"role": role, "partner": partner, "individual": individual}
    if vendor_login_id:
        defaults["vendor_login_id"] = vendor_login_id
    Profile.objects.update_or_create(user=user, defaults=defaults)
    return user


@transaction.atomic
def load(stdout):
    territories = {}
    for code, name in COUNTRIES:
        territories[code], _ = Territory.objects.get_or_create(code=code, defaults={"name": name})
    for code, name, members in GROUPS:
        group, _ = Territory.objects.get_or_create(code=code, defaults={"name": name, "kind": Territory.GROUP})
        group.countries.set([territories[m] for m in members])
        territories[code] = group
    partners = {}
    for pid, name, where in PARTNERS:
        partner, _ = Partner.objects.get_or_create(
            vendor_partner_id=pid,
            defaults={"legal_name": name, "is_registered": True, "registered_on": date(2014, 1, 15)},
        )
        partner.territories.set([territories[c] for c in where])
        partners[pid] = partner
    people = {}
    for pid, first, last, number in PEOPLE:
        person, _ = Individual.objects.get_or_create(
            testing_number=number,
            defaults={"first_name": first, "last_name": last, "email": f"{first.lower()}@{pid.lower()}.example.com"},
        )
        Association.objects.get_or_create(
            individual=person, partner=partners[pid], defaults={"start": date(2015, 1, 1)}
        )
        people[number] = person
    for username, role, pid, number in USERS:
        user = demo_user(username, role, partners.get(pid), people.get(number))
        if role == "account_manager":
            for p in (partners["ACME"], partners["GLOBEX"]):
                p.account_managers.add(user)
    stdout.write(f"Partners: {len(partners)} demo partners, {len(people)} people.")
