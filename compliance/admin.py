from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from core.admin import ReadOnlyAdmin, ReadOnlyInline, ServiceAdminMixin

from .models import (
    CertificationChange,
    CertificationTier,
    CredentialVerdict,
    HybridITService,
    PartnerCertification,
    Requirement,
    RequirementSet,
    SupportAgreement,
    SupportCapability,
    VerdictChange,
)
from .services import records


@admin.register(CertificationTier)
class CertificationTierAdmin(admin.ModelAdmin):
    list_display = ["name", "rank", "counts_as_certified"]


class CertificationChangeInline(ReadOnlyInline):
    model = CertificationChange
    fk_name = "certification"


@admin.register(PartnerCertification)
class PartnerCertificationAdmin(ReadOnlyAdmin):
    """Read-only: staff grant a certification or change its tier through the API (`POST certifications/`,
    compliance.services.certifications.certification_grant); the renewal lifecycle lapses and revokes it. Both
    record an event, keep the history and queue a recompute."""

    list_display = ["partner", "territory", "tier", "status", "certified_on", "anniversary"]
    list_filter = ["tier", "status"]
    search_fields = ["partner__legal_name", "partner__vendor_partner_id"]
    autocomplete_fields = ["partner"]
    inlines = [CertificationChangeInline]


class RequirementInline(admin.StackedInline):
    model = Requirement
    extra = 0


@admin.register(RequirementSet)
class RequirementSetAdmin(admin.ModelAdmin):
    list_display = ["name", "tier", "new_from", "renewal_from"]
    inlines = [RequirementInline]


class PartnerRecordForm(forms.ModelForm):
    def clean(self):
        data = super().clean()
        partner, territory = data.get("partner") or getattr(self.instance, "partner", None), data.get("territory")
        if partner and territory and not partner.territories.filter(pk=territory.pk).exists():
            self.add_error("territory", f"{partner} does not operate in {territory}.")
        return data


class PartnerRecordAdmin(ServiceAdminMixin, admin.ModelAdmin):
    """Saves, deletions and verification go through compliance.services.records, as on the partner's pages:
    each records an event and queues a recompute, and a change clears the verification."""

    form = PartnerRecordForm
    list_display = ["__str__", "partner", "territory", "verified_on"]
    list_filter = ["territory"]
    search_fields = ["partner__legal_name"]
    autocomplete_fields = ["partner"]
    readonly_fields = ["verified_on", "verified_by", "evidence_documents"]
    actions = ["verify"]

    @admin.display(description="Evidence documents")
    def evidence_documents(self, obj):
        """Read-only here (added and removed on the partner's pages or the API); each link goes through the
        download view, never to MEDIA_URL."""
        files = obj.evidence.all() if obj.pk else []
        return (
            format_html_join(
                mark_safe("<br>"),
                '<a href="{}">{}</a> ({}, {})',
                (
                    (reverse("compliance-evidence-download", args=[f.pk]), f.name, f.size_text, f.uploaded_at)
                    for f in files
                ),
            )
            or "—"
        )

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "partner"] if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        model = type(obj)
        fields = {name: getattr(obj, name) for name in [*records.RECORD_FIELDS[model.__name__], "territory"]}
        saved = records.partner_record_save(
            model=model, partner=obj.partner, instance=obj if change else None, actor=request.user, **fields
        )
        obj.pk, obj.verified_on, obj.verified_by = saved.pk, saved.verified_on, saved.verified_by

    def delete_model(self, request, obj):
        records.partner_record_delete(obj=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            records.partner_record_delete(obj=obj, actor=request.user)

    @admin.action(description="Verify the selected records")
    def verify(self, request, queryset):
        for obj in queryset:
            try:
                records.partner_record_verify(obj=obj, actor=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{obj}: {' '.join(exc.messages)}", messages.ERROR)
            else:
                self.message_user(request, f"{obj}: verified.", messages.SUCCESS)


for _model in (HybridITService, SupportAgreement, SupportCapability):
    admin.site.register(_model, PartnerRecordAdmin)


@admin.register(CredentialVerdict)
class CredentialVerdictAdmin(ReadOnlyAdmin):
    """Verdicts are computed (compliance.services.recompute); change the facts or the policy instead."""

    list_display = ["partner", "territory", "name", "status", "compliant", "at_risk", "as_of"]
    list_filter = ["compliant", "at_risk", "status", "tier"]
    search_fields = ["partner__legal_name"]


@admin.register(VerdictChange)
class VerdictChangeAdmin(ReadOnlyAdmin):
    """The history of verdicts, written by the recompute."""

    list_display = ["partner", "name", "as_of", "compliant"]
    list_filter = ["compliant"]
    search_fields = ["partner__legal_name"]


@admin.register(CertificationChange)
class CertificationChangeAdmin(ReadOnlyAdmin):
    """The tier history, written by compliance.services.certifications."""

    list_display = ["certification", "from_tier", "to_tier", "changed_on"]
    list_filter = ["to_tier"]


@admin.register(Requirement)
class RequirementAdmin(admin.ModelAdmin):
    list_display = ["requirement_set", "position", "kind", "label"]
    list_filter = ["requirement_set", "kind"]
