from django.contrib import admin

from core.admin import AddOnlyMixin

from .models import KnowledgeSession, LearningRecord, PointsPolicy


@admin.register(KnowledgeSession)
class KnowledgeSessionAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "focus_area", "points", "duration_hours", "via_assessment", "is_active"]
    list_filter = ["points", "via_assessment", "is_active", "focus_area__architecture"]
    search_fields = ["code", "title"]
    filter_horizontal = ["specializations", "architectures"]


@admin.register(PointsPolicy)
class PointsPolicyAdmin(admin.ModelAdmin):
    """Staff add a new period here (end the current one first); past verdicts keep the row that applied."""

    list_display = ["kind", "label", "effective_from", "effective_to", "required_points", "window_months", "pace_days"]
    list_filter = ["kind"]

    def get_readonly_fields(self, request, obj=None):
        # A row that exists may have applied to a verdict: its figures stay; only ending the period is allowed.
        return ["kind", "effective_from", "required_points", "window_months", "pace_days"] if obj else []

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LearningRecord)
class LearningRecordAdmin(AddOnlyMixin, admin.ModelAdmin):
    """The ledger is append-only: read it here; record and reverse entries on the partner's pages or the API."""

    list_display = ["id", "partner", "individual", "session", "occurred_on", "how", "reversal_of", "source"]
    list_filter = ["how", "source"]
    search_fields = ["client_record_id", "individual__testing_number", "partner__legal_name"]
    date_hierarchy = "occurred_on"
    readonly_fields = [f.name for f in LearningRecord._meta.fields]

    def has_add_permission(self, request):
        return False
