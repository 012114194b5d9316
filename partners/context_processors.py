from . import access


def role(request):
    user = getattr(request, "user", None)
    profile = access.profile_of(user)
    return {
        "user_role": access.role_of(user),
        "user_role_label": dict(access.ROLE_CHOICES).get(access.role_of(user), ""),
        "user_partner_id": getattr(profile, "partner_id", None),
        "is_vendor": access.is_vendor(user),
    }
