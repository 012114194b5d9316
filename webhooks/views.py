"""Webhook pages: the endpoints, one endpoint with its recent deliveries and attempts, and the forms."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from core.views import apply_validation_error, paginate
from partners import access
from partners.selectors import partner_list

from . import selectors, services
from .forms import EndpointForm


def _partners(user):
    """The partner choice: staff pick any (or none: the whole program); a partner admin has hers."""
    return partner_list(user=user) if access.is_staff(user) else None


@login_required
def endpoint_list(request):
    access.require(request.user, "webhook.manage", partner=selectors.own_partner(user=request.user))
    endpoints = selectors.endpoint_list(user=request.user)
    return render(request, "webhooks/endpoint_list.html", {"page": paginate(request, endpoints)})


def _show_secret(request, endpoint, secret, what):
    return render(request, "webhooks/secret.html", {"endpoint": endpoint, "secret": secret, "what": what})


@login_required
@require_http_methods(["GET", "POST"])
def endpoint_create(request):
    access.require(request.user, "webhook.manage", partner=selectors.own_partner(user=request.user))
    form = EndpointForm(request.POST or None, partners=_partners(request.user))
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        partner = fields.pop("partner", None) or selectors.own_partner(user=request.user)
        try:
            endpoint, secret = services.endpoint_create(partner=partner, actor=request.user, **fields)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            return _show_secret(request, endpoint, secret, "created")
    return render(request, "webhooks/endpoint_form.html", {"form": form, "endpoint": None})


@login_required
def endpoint_detail(request, pk):
    endpoint = selectors.endpoint_get(user=request.user, pk=pk)
    deliveries = selectors.delivery_list(user=request.user, endpoint=endpoint)
    return render(
        request,
        "webhooks/endpoint_detail.html",
        {
            "endpoint": endpoint,
            "page": paginate(request, deliveries, 20),
            "can_manage": access.can(request.user, "webhook.manage", partner=endpoint.partner),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def endpoint_edit(request, pk):
    endpoint = selectors.endpoint_get(user=request.user, pk=pk)
    access.require(request.user, "webhook.manage", partner=endpoint.partner)  # the form too, not only the POST
    initial = {"url": endpoint.url, "description": endpoint.description, "kinds": endpoint.kinds}
    form = EndpointForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.endpoint_update(endpoint=endpoint, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "Endpoint saved.")
            return redirect("webhook-detail", pk=endpoint.pk)
    return render(request, "webhooks/endpoint_form.html", {"form": form, "endpoint": endpoint})


@login_required
@require_POST
def endpoint_toggle(request, pk):
    endpoint = selectors.endpoint_get(user=request.user, pk=pk)
    services.endpoint_update(endpoint=endpoint, actor=request.user, enabled=not endpoint.enabled)
    messages.success(request, "Endpoint enabled." if endpoint.enabled else "Endpoint disabled: it receives nothing.")
    return redirect("webhook-detail", pk=endpoint.pk)


@login_required
@require_POST
def endpoint_rotate(request, pk):
    endpoint = selectors.endpoint_get(user=request.user, pk=pk)
    secret = services.endpoint_rotate_secret(endpoint=endpoint, actor=request.user)
    return _show_secret(request, endpoint, secret, "rotated")


@login_required
@require_POST
def endpoint_test(request, pk):
    endpoint = selectors.endpoint_get(user=request.user, pk=pk)
    try:
        services.endpoint_send_test(endpoint=endpoint, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Test event sent: its attempt is listed below.")
    return redirect("webhook-detail", pk=endpoint.pk)


@login_required
@require_POST
def delivery_resend(request, pk):
    delivery = selectors.delivery_get(user=request.user, pk=pk)
    try:
        services.delivery_resend(delivery=delivery, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{delivery.message_id} sent again.")
    return redirect("webhook-detail", pk=delivery.endpoint_id)
