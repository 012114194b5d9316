from django.contrib import admin

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


@admin.register(CertificationTier)
class CertificationTierAdmin(admin.ModelAdmin):
    list_display = ["name", "rank", "counts_as_certified"]


class CertificationChangeInline(admin.TabularInline):
    model = CertificationChange
    extra = 0
    fk_name = "certification"


@admin.register(PartnerCertification)
class PartnerCertificationAdmin(admin.ModelAdmin):
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


class PartnerRecordAdmin(admin.ModelAdmin):
    list_display = ["__str__", "partner", "territory", "verified_on"]
    list_filter = ["territory"]
    search_fields = ["partner__legal_name"]
    autocomplete_fields = ["partner"]


for _model in (HybridITService, SupportAgreement, SupportCapability):
    admin.site.register(_model, PartnerRecordAdmin)


@admin.register(CredentialVerdict)
class CredentialVerdictAdmin(admin.ModelAdmin):
    list_display = ["partner", "territory", "name", "status", "compliant", "at_risk", "as_of"]
    list_filter = ["compliant", "at_risk", "status", "tier"]
    search_fields = ["partner__legal_name"]


@admin.register(VerdictChange)
class VerdictChangeAdmin(admin.ModelAdmin):
    list_display = ["partner", "name", "as_of", "compliant"]
    list_filter = ["compliant"]
    search_fields = ["partner__legal_name"]


@admin.register(CertificationChange)
class CertificationChangeAdmin(admin.ModelAdmin):
    list_display = ["certification", "from_tier", "to_tier", "changed_on"]
    list_filter = ["to_tier"]


@admin.register(Requirement)
class RequirementAdmin(admin.ModelAdmin):
    list_display = ["requirement_set", "position", "kind", "label"]
    list_filter = ["requirement_set", "kind"]
