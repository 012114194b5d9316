"""Revoke a user's API tokens and sessions when their password, active flag or role changes.

Why signals, against the house rule (services, not signals): these writes are not ours. Passwords change in
Django's own views (password change, password reset), the admin's user and profile forms, `manage.py
changepassword` and cascades (a deleted partner deletes its users' profiles). A security invariant that every
one of those paths had to remember would be missed by the next one, so the check sits on the rows themselves
and calls one service, partners.services.user_access_revoke. partners.auth.TokenAuthentication also refuses the
token of a user who is inactive or has no role, whatever wrote the rows (an `update()` sends no signal).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from .models import Profile
from .services import user_access_revoke

User = get_user_model()

# User fields that decide whether and as whom the user gets in (is_staff and is_superuser make program staff).
_ROLE_FLAGS = ("is_active", "is_staff", "is_superuser")


@receiver(pre_save, sender=User, dispatch_uid="partners.user_access_changes")
def _user_access_changes(
    sender: Any, instance: Any, raw: bool = False, update_fields: Any = None, **kwargs: Any
) -> None:
    if (
        raw
        or instance.pk is None
        or (update_fields is not None and not {"password", *_ROLE_FLAGS} & set(update_fields))
    ):
        return  # a new user, a fixture, or a save of other fields only (last_login at every login)
    before = sender._default_manager.filter(pk=instance.pk).values("password", *_ROLE_FLAGS).first()
    if before is None:
        return
    lost = any(before[f] and not getattr(instance, f) for f in _ROLE_FLAGS)
    # A new password revokes the tokens; Django's session auth hash already ends the other sessions and keeps
    # the one that changed it. Losing the active flag or staff rights ends the sessions too.
    if lost:
        instance._partners_revoke = "all"
    elif before["password"] != instance.password:
        instance._partners_revoke = "tokens"


@receiver(post_save, sender=User, dispatch_uid="partners.user_access_revoke")
def _user_access_revoke(sender: Any, instance: Any, **kwargs: Any) -> None:
    what = instance.__dict__.pop("_partners_revoke", None)
    if what:
        user_access_revoke(user_id=instance.pk, sessions=what == "all")


@receiver(pre_save, sender=Profile, dispatch_uid="partners.profile_role_changes")
def _profile_role_changes(
    sender: Any, instance: Profile, raw: bool = False, update_fields: Any = None, **kwargs: Any
) -> None:
    if raw or instance.pk is None or (update_fields is not None and not {"role", "partner"} & set(update_fields)):
        return
    before = Profile.objects.filter(pk=instance.pk).values("role", "partner_id", "user_id").first()
    if before and (before["role"], before["partner_id"]) != (instance.role, instance.partner_id):
        instance._partners_revoke_user = before["user_id"]  # type: ignore[attr-defined]


@receiver(post_save, sender=Profile, dispatch_uid="partners.profile_role_revoke")
def _profile_role_revoke(sender: Any, instance: Profile, **kwargs: Any) -> None:
    user_id = instance.__dict__.pop("_partners_revoke_user", None)
    if user_id:
        user_access_revoke(user_id=user_id)


@receiver(post_delete, sender=Profile, dispatch_uid="partners.profile_deleted")
def _profile_deleted(sender: Any, instance: Profile, **kwargs: Any) -> None:
    user_access_revoke(user_id=instance.user_id)
