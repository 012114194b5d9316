"""Integrations: a CRM's service account and its API token (not a person)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from partners.access import TenantQuerySet


class IntegrationQuerySet(TenantQuerySet):
    """Staff see every integration; a partner admin her partner's (integrations.selectors narrows to managers)."""

    partner_lookup = "owner_partner"


class Integration(models.Model):
    """A named integration and its token. Only a hash of the token is stored (SHA-256: the token is 256 random
    bits, so a fast hash cannot be brute-forced); the token itself is shown once, when it is created.

    What it sees: a partner admin's integration, `owner_partner` only; staff's, `partners` or, with
    `all_partners`, the whole program. `scope` read-only refuses every change."""

    READ_ONLY, READ_WRITE = "read", "read_write"
    SCOPE_CHOICES = [(READ_ONLY, "Read only"), (READ_WRITE, "Read and write")]

    name = models.CharField(max_length=100)
    description = models.CharField(max_length=300, blank=True)
    scope = models.CharField(max_length=10, choices=SCOPE_CHOICES, default=READ_ONLY)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="integrations")
    owner_partner = models.ForeignKey(
        "partners.Partner",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="The partner whose admin created it (it sees only that partner); empty for staff's",
    )
    all_partners = models.BooleanField(default=False, help_text="Staff's integration sees the whole program")
    partners = models.ManyToManyField("partners.Partner", blank=True, related_name="+")
    token_prefix = models.CharField(max_length=12, help_text="The token's first characters, to recognise it")
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = IntegrationQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def read_only(self) -> bool:
        return self.scope == self.READ_ONLY
