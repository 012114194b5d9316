import pytest
from rest_framework.test import APIClient

from integrations import services
from partners import access


@pytest.fixture
def integration():
    """integration(owner, **fields) -> (Integration, an APIClient sending its token)."""

    def make(owner, **fields):
        if access.role_of(owner) == access.STAFF and "partners" not in fields:
            fields.setdefault("all_partners", True)
        obj, token = services.integration_create(actor=owner, name=fields.pop("name", "CRM"), **fields)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        return obj, client

    return make
