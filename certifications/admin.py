"""Admin for the CE program data and the personal CE records."""

from django.contrib import admin

from core.admin import AddOnlyMixin, ReadOnlyAdmin, ServiceAdminMixin

from . import services
from .models import (
    CeActivity,
    CeClaim,
    CePolicy,
    CeRenewalPath,
    CertificationPeriod,
    ExamPass,
    IndividualCertification,
)


@admin.register(CePolicy)
class CePolicyAdmin(admin.ModelAdmin):
    list_display = [
        "effective_from",
        "effective_to",
        "period_years",
        "first_reminder_days",
        "second_reminder_days",
        "expiring_window_days",
        "certificate_max_bytes",
    ]


@admin.register(CeRenewalPath)
class CeRenewalPathAdmin(admin.ModelAdmin):
    list_display = ["__str__", "level", "ce_credits", "exam_kind", "exam_count", "effective_from", "effective_to"]
    list_filter = ["level"]


@admin.register(CeActivity)
class CeActivityAdmin(admin.ModelAdmin):
    list_display = ["title", "activity_type", "credits", "cost", "currency", "expires_on"]
    list_filter = ["activity_type"]
    search_fields = ["title"]


class CertificationPeriodInline(admin.TabularInline):
    model = CertificationPeriod
    extra = 0
    readonly_fields = ["starts_on", "expires_on", "renewed_on", "renewal_path"]
    can_delete = False


@admin.register(IndividualCertification)
class IndividualCertificationAdmin(ReadOnlyAdmin):
    """Read-only: certifications are added and renewed through certifications.services (the individual's CE page
    and the API), which keep the periods and record events."""

    list_display = ["individual", "track", "level", "certified_on", "period_starts_on", "expires_on"]
    list_filter = ["level"]
    search_fields = ["track", "individual__last_name", "individual__testing_number"]
    readonly_fields = ["individual", "certified_on", "period_starts_on", "expires_on"]
    autocomplete_fields = ["individual"]
    inlines = [CertificationPeriodInline]


@admin.register(CertificationPeriod)
class CertificationPeriodAdmin(ReadOnlyAdmin):
    """Periods are written by the renewal service only."""

    list_display = ["certification", "starts_on", "expires_on", "renewed_on", "renewal_path"]


@admin.register(ExamPass)
class ExamPassAdmin(AddOnlyMixin, ServiceAdminMixin, admin.ModelAdmin):
    """Passed exams are recorded through certifications.services.ce_exam_record (an event); they are not edited
    or deleted here."""

    list_display = ["individual", "kind", "exam_code", "passed_on"]
    list_filter = ["kind"]
    autocomplete_fields = ["individual"]
    search_fields = ["individual__last_name", "exam_code"]

    def save_model(self, request, obj, form, change):
        obj.pk = services.ce_exam_record(
            individual=obj.individual,
            kind=obj.kind,
            passed_on=obj.passed_on,
            exam_code=obj.exam_code,
            actor=request.user,
        ).pk


@admin.register(CeClaim)
class CeClaimAdmin(ReadOnlyAdmin):
    """Reviews go through the review queue (one service, one notice); the admin shows the record."""

    list_display = ["individual", "title", "credits", "ended_on", "status", "submitted_at", "reviewed_by"]
    list_filter = ["status", "activity__activity_type"]
    search_fields = ["validation_code", "course_name", "activity__title", "individual__last_name"]
    readonly_fields = [
        "individual",
        "activity",
        "course_name",
        "started_on",
        "ended_on",
        "validation_code",
        "certificate",
        "credits",
        "status",
        "rejection_reason",
        "submitted_at",
        "submitted_by",
        "reviewed_at",
        "earned_on",
        "reviewed_by",
    ]
