from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import Attempt, Delivery, Endpoint


@admin.register(Endpoint)
class EndpointAdmin(ReadOnlyAdmin):
    """Endpoints are managed on the Webhooks page and the API (webhooks.services), which keep the secret."""

    list_display = ["url", "partner", "owner", "enabled", "failing_since", "created_at"]
    list_filter = ["enabled"]
    search_fields = ["url", "description", "partner__legal_name"]
    exclude = ["secret_encrypted", "previous_secret_encrypted"]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    """Deliveries are written by webhooks.delivery (the fan-out and the worker)."""

    list_display = ["message_id", "endpoint", "kind", "status", "attempts", "next_attempt_at", "delivered_at"]
    list_filter = ["status"]
    search_fields = ["message_id", "kind"]


@admin.register(Attempt)
class AttemptAdmin(ReadOnlyAdmin):
    """Attempts are recorded by webhooks.delivery.delivery_attempt."""

    list_display = ["attempted_at", "delivery", "status_code", "duration_ms", "succeeded", "error"]
    list_filter = ["succeeded"]
