from django.contrib import admin, messages

from core.admin import AddOnlyMixin, ReadOnlyInline, ServiceAdminMixin
from core.words import plural

from . import services
from .models import FollowUp, MeasurementDate, SurveyResponse


class FollowUpInline(ReadOnlyInline):
    model = FollowUp


@admin.register(SurveyResponse)
class SurveyResponseAdmin(AddOnlyMixin, ServiceAdminMixin, admin.ModelAdmin):
    """Responses are added through csat.services.response_create (or the CSV import) and marked valid or invalid
    with the actions (response_set_validity): each records an event and queues a recompute. A response is not
    edited or deleted: mark it invalid."""

    list_display = ["received_on", "partner", "territory", "customer", "score", "valid"]
    list_filter = ["valid", "territory"]
    search_fields = ["customer", "reference", "partner__legal_name"]
    date_hierarchy = "received_on"
    inlines = [FollowUpInline]
    actions = ["mark_valid", "mark_invalid"]

    def save_model(self, request, obj, form, change):
        obj.pk = services.response_create(
            partner=obj.partner,
            territory=obj.territory,
            customer=obj.customer,
            received_on=obj.received_on,
            score=obj.score,
            valid=obj.valid,
            reference=obj.reference,
            actor=request.user,
        ).pk

    def _set_validity(self, request, queryset, valid):
        for response in queryset:
            services.response_set_validity(response=response, valid=valid, actor=request.user)
        self.message_user(
            request, f"{plural(len(queryset), 'response')} marked {'valid' if valid else 'invalid'}.", messages.SUCCESS
        )

    @admin.action(description="Mark the selected responses valid")
    def mark_valid(self, request, queryset):
        self._set_validity(request, queryset, True)

    @admin.action(description="Mark the selected responses invalid")
    def mark_invalid(self, request, queryset):
        self._set_validity(request, queryset, False)


@admin.register(FollowUp)
class FollowUpAdmin(AddOnlyMixin, ServiceAdminMixin, admin.ModelAdmin):
    """Follow-ups are recorded through csat.services.followup_record (checks the score, an event, a recompute);
    they are not edited or deleted."""

    list_display = ["recorded_on", "response", "recorded_by"]
    search_fields = ["response__customer", "note"]
    fields = ["response", "recorded_on", "note"]
    raw_id_fields = ["response"]

    def save_model(self, request, obj, form, change):
        obj.pk = services.followup_record(
            response=obj.response, recorded_on=obj.recorded_on, note=obj.note, actor=request.user
        ).pk


@admin.register(MeasurementDate)
class MeasurementDateAdmin(ServiceAdminMixin, admin.ModelAdmin):
    """The calendar of measurement dates (program policy). Moving a date goes through
    csat.services.measurement_date_update, which checks the fiscal year and records an event."""

    list_display = ["fiscal_year", "date"]
    list_filter = ["fiscal_year"]

    def get_readonly_fields(self, request, obj=None):
        return ["fiscal_year"] if obj else []

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        on = obj.date
        obj.date = MeasurementDate.objects.get(pk=obj.pk).date
        services.measurement_date_update(measurement_date=obj, on=on, actor=request.user)

    def has_delete_permission(self, request, obj=None):
        return False
