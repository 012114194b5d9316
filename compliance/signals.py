"""Keep the portfolio's sort keys true: a renamed partner or territory renames its stored verdicts' keys.

Why a receiver, against the house rule (services, not signals): partners are renamed in partners' own services
and in the admin, and partners may not import compliance. One UPDATE of the renamed one's rows, none when the
name is unchanged. An `update()` of names sends no signal; the next recompute writes the keys then.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from partners.models import Partner, Territory

from .models import CredentialVerdict


@receiver(post_save, sender=Partner, dispatch_uid="compliance.partner_renamed")
def _partner_renamed(sender: Any, instance: Partner, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if not (created or raw):
        CredentialVerdict.objects.filter(partner_id=instance.pk).exclude(partner_name=instance.legal_name).update(
            partner_name=instance.legal_name
        )


@receiver(post_save, sender=Territory, dispatch_uid="compliance.territory_renamed")
def _territory_renamed(sender: Any, instance: Territory, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if not (created or raw):
        CredentialVerdict.objects.filter(territory_id=instance.pk).exclude(territory_name=instance.name).update(
            territory_name=instance.name
        )
