"""Thin HTML views: the captain's account page and the account manager's list."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core import clock
from core.views import apply_validation_error, paginate
from partners import access

from . import selectors
from .filters import AccountFilterSet
from .forms import RedemptionForm
from .models import LoyaltyPolicy
from .services import accounts, redemptions


@login_required
def loyalty_home(request):
    """Vendor users get the account list; a captain goes straight to their account."""
    if access.is_vendor(request.user):
        return redirect("loyalty-account-list")
    accounts = selectors.account_list(user=request.user, as_of=clock.today())
    if len(accounts) == 1:
        return redirect("loyalty-account-detail", pk=accounts[0].pk)
    return render(
        request,
        "loyalty/account_list.html",
        {"page": paginate(request, accounts), "filter": None, "policy": LoyaltyPolicy.in_force(clock.today())},
    )


@login_required
def account_list(request):
    today = clock.today()
    filterset = AccountFilterSet(request.GET, queryset=selectors.account_list(user=request.user, as_of=today))
    return render(
        request,
        "loyalty/account_list.html",
        {"filter": filterset, "page": paginate(request, filterset.qs), "policy": LoyaltyPolicy.in_force(today)},
    )


def _detail(request, account, form, status=200):
    today = clock.today()
    return render(
        request,
        "loyalty/account_detail.html",
        {
            "account": account,
            "lots": selectors.lot_list(user=request.user, account=account, as_of=today),
            "history": paginate(request, selectors.ledger_list(user=request.user, account=account), 20),
            "placements": selectors.placement_list(user=request.user, account=account),
            "can_redeem": access.can(request.user, "loyalty.redeem", obj=account),
            "is_captain": account.captain_id == request.user.pk,
            "form": form,
            "today": today,
            "policy": LoyaltyPolicy.in_force(today),
        },
        status=status,
    )


@login_required
def account_detail(request, pk):
    account = selectors.account_get(user=request.user, pk=pk, as_of=clock.today())
    return _detail(request, account, RedemptionForm())


@login_required
@require_POST
def account_redeem(request, pk):
    account = selectors.account_get(user=request.user, pk=pk, as_of=clock.today())
    access.require(request.user, "loyalty.redeem", obj=account)  # before an invalid form is shown back
    form = RedemptionForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            redemption, created = redemptions.redemption_create(
                account=account, actor=request.user, idempotency_key=data.pop("idempotency_key"), **data
            )
        except redemptions.IdempotencyConflict as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            if created:
                messages.success(request, f"{redemption.amount} credits redeemed for {redemption.description}.")
            return redirect("loyalty-account-detail", pk=account.pk)
    return _detail(request, account, form, status=400)


@login_required
@require_POST
def account_accept_terms(request, pk):
    account = selectors.account_get(user=request.user, pk=pk, as_of=clock.today())
    try:
        account = accounts.terms_accept(account=account, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Thank you: the loyalty and credit terms are accepted.")
    return redirect("loyalty-account-detail", pk=account.pk)
