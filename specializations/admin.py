from django.contrib import admin

from .models import (
    Architecture,
    FocusArea,
    PartnerSpecialization,
    RoleAllocation,
    Specialization,
    SpecializationRole,
)


class FocusAreaInline(admin.TabularInline):
    model = FocusArea
    extra = 0


@admin.register(Architecture)
class ArchitectureAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]
    inlines = [FocusAreaInline]


@admin.register(FocusArea)
class FocusAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "architecture"]
    list_filter = ["architecture"]
    search_fields = ["name"]


class SpecializationRoleInline(admin.TabularInline):
    model = SpecializationRole
    extra = 0


@admin.register(Specialization)
class SpecializationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "architecture", "end_of_sale", "retired_on"]
    list_filter = ["kind", "architecture"]
    search_fields = ["name"]
    inlines = [SpecializationRoleInline]


@admin.register(SpecializationRole)
class SpecializationRoleAdmin(admin.ModelAdmin):
    list_display = ["name", "specialization", "required_count"]
    search_fields = ["name", "specialization__name"]


class RoleAllocationInline(admin.TabularInline):
    model = RoleAllocation
    extra = 0
    autocomplete_fields = ["individual", "role"]


@admin.register(PartnerSpecialization)
class PartnerSpecializationAdmin(admin.ModelAdmin):
    list_display = ["partner", "specialization", "territory", "status", "anniversary", "last_renewed_on"]
    list_filter = ["status", "specialization__kind", "specialization"]
    search_fields = ["partner__legal_name", "specialization__name"]
    autocomplete_fields = ["partner", "territory", "specialization"]
    inlines = [RoleAllocationInline]


@admin.register(RoleAllocation)
class RoleAllocationAdmin(admin.ModelAdmin):
    list_display = ["partner_specialization", "role", "individual"]
    autocomplete_fields = ["partner_specialization", "role", "individual"]
    search_fields = ["individual__last_name", "partner_specialization__partner__legal_name"]
