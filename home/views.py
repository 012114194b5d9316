"""Each role's home at `/`: where the user stands and what to do next."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from core import clock
from partners import access
from partners.selectors import partner_get

from . import selectors


@login_required
def home(request):
    user, today = request.user, clock.today()
    role, profile = access.role_of(user), access.profile_of(user)
    if role in (access.STAFF, access.ACCOUNT_MANAGER):
        context = {"home": selectors.portfolio_home(user=user, as_of=today)}
        return render(request, "home/portfolio.html", {**context, "today": today, "is_staff": role == access.STAFF})
    if role == access.PARTNER_ADMIN and profile.partner_id:
        partner = partner_get(user=user, pk=profile.partner_id)
        return render(
            request,
            "home/partner_admin.html",
            {"home": selectors.partner_home(user=user, partner=partner, as_of=today), "today": today},
        )
    if role == access.PARTNER_MEMBER:
        home = selectors.member_home(user=user, individual_id=profile.individual_id, as_of=today)
        return render(request, "home/member.html", {"home": home, "today": today})
    if role == access.CUSTOMER:
        accounts, policy = selectors.captain_home(user=user, as_of=today)
        return render(request, "home/captain.html", {"accounts": accounts, "policy": policy, "today": today})
    return render(request, "partners/no_role.html", status=403)
