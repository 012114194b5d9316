"""The main menu: only the pages the user's role can open (partners/access.py), the current one marked.

Each entry is (label, URL name, URL arguments, in the "More" menu). The longest entry URL that starts the
current path is the current page (so "Compliance" wins over "My partner" on the partner's compliance page).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from partners import access


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    more: bool
    current: bool = False


def entries(user: Any) -> list[tuple[str, str, tuple, bool]]:
    """(label, URL name, arguments, in "More") of every page this user's role can use."""
    role = access.role_of(user)
    profile = access.profile_of(user)
    partner_id = getattr(profile, "partner_id", None)
    individual_id = getattr(profile, "individual_id", None)
    if role is None or role == access.INTEGRATION:
        return []
    out: list[tuple[str, str, tuple, bool]] = [("Home", "home", (), False)]
    if role in (access.STAFF, access.ACCOUNT_MANAGER):
        out += [
            ("Partners", "partner-list", (), False),
            ("Portfolio", "compliance-portfolio", (), False),
            ("Renewals due", "renewals-due", (), False),
            ("Incidents", "incident-list", (), False),
        ]
        if role == access.STAFF:
            out.append(("CE review", "ce-review-queue", (), False))
        out += [("Learning credits", "loyalty-account-list", (), False), ("Catalogue", "catalogue", (), True)]
        if role == access.STAFF:
            out += [
                ("CSAT import", "csat-import", (), True),
                ("CSAT dates", "csat-measurement-dates", (), True),
                ("Integrations", "integration-list", (), True),
                ("Webhooks", "webhook-list", (), True),
                ("Admin", "admin:index", (), True),
            ]
    elif role == access.PARTNER_ADMIN and partner_id:
        out += [
            ("My partner", "partner-detail", (partner_id,), False),
            ("Compliance", "compliance-partner", (partner_id,), False),
            ("People", "ce-partner-people", (partner_id,), False),
            ("Renewals due", "renewals-due", (), False),
            ("Incidents", "incident-list", (), False),
            ("Catalogue", "catalogue", (), True),
            ("Integrations", "integration-list", (), True),
            ("Webhooks", "webhook-list", (), True),
        ]
    elif role == access.PARTNER_MEMBER and partner_id:
        out.append(("My partner", "partner-detail", (partner_id,), False))
        if individual_id:
            out.append(("My certifications", "ce-individual", (individual_id,), False))
        out += [
            ("Renewals due", "renewals-due", (), True),
            ("Incidents", "incident-list", (), True),
            ("Catalogue", "catalogue", (), True),
        ]
    elif role == access.CUSTOMER:
        out.append(("Learning credits", "loyalty-home", (), False))
    out += [("Help", "help", (), True), ("API", "api-docs", (), True)]
    return out


def links(user: Any, path: str) -> list[Link]:
    found = [(label, reverse(name, args=args), more) for label, name, args, more in entries(user)]
    matches = [url for _, url, _ in found if path == url or (url != "/" and path.startswith(url))]
    current = max(matches, key=len, default=None)
    return [Link(label, url, more, url == current) for label, url, more in found]
