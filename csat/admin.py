from django.contrib import admin

from .models import FollowUp, MeasurementDate, SurveyResponse


class FollowUpInline(admin.StackedInline):
    model = FollowUp
    extra = 0


@admin.register(SurveyResponse)
class SurveyResponseAdmin(admin.ModelAdmin):
    list_display = ["received_on", "partner", "territory", "customer", "score", "valid"]
    list_filter = ["valid", "territory"]
    search_fields = ["customer", "reference", "partner__legal_name"]
    date_hierarchy = "received_on"
    inlines = [FollowUpInline]


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ["recorded_on", "response", "recorded_by"]
    search_fields = ["response__customer", "note"]


@admin.register(MeasurementDate)
class MeasurementDateAdmin(admin.ModelAdmin):
    list_display = ["fiscal_year", "date"]
    list_filter = ["fiscal_year"]
