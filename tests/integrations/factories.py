from integrations import services
from tests.factories import make_user


def build_partner_data(partner):
    """An integration of the partner's own (another partner's admin never sees it, tests/test_tenancy.py)."""
    admin = make_user("partner_admin", partner=partner, username=f"integration-owner-{partner.pk}")
    integration, _ = services.integration_create(
        actor=admin, name=f"Integration of {partner.legal_name}", description=f"Feeds {partner.vendor_partner_id}"
    )
    return [integration]
