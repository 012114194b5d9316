from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import NonComplianceIncident, RenewalApplication, RenewalPolicy


@admin.register(RenewalPolicy)
class RenewalPolicyAdmin(admin.ModelAdmin):
    list_display = ["effective_from", "recert_window_days", "reminder_days", "lapse_after_days", "acknowledge_days"]


@admin.register(RenewalApplication)
class RenewalApplicationAdmin(ReadOnlyAdmin):
    """Read-only: applications are submitted, approved and rejected on the renewal pages and the API
    (renewals.services.applications), which move the anniversary, record events and send notices."""

    list_display = ["submitted_at", "partner", "content_type", "object_id", "cycle_anniversary", "status"]
    list_filter = ["status", "content_type"]
    search_fields = ["partner__legal_name"]
    readonly_fields = ["verdict", "submitted_at", "submitted_by", "decided_at", "decided_by"]


@admin.register(NonComplianceIncident)
class NonComplianceIncidentAdmin(ReadOnlyAdmin):
    """Read-only: incidents are opened and closed by the daily scan, acknowledged, extended and revoked on the
    incident pages and the API (renewals.services.incidents)."""

    list_display = [
        "opened_on",
        "partner",
        "content_type",
        "object_id",
        "acknowledge_by",
        "extension_end",
        "flagged_for_revocation_on",
        "closed_on",
        "resolution",
    ]
    list_filter = ["resolution", "content_type"]
    search_fields = ["partner__legal_name"]
