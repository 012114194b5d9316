from django.contrib import admin

from core.admin import AddOnlyMixin, ReadOnlyInline, ServiceAdminMixin

from . import services
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


class RoleAllocationInline(ReadOnlyInline):
    model = RoleAllocation


@admin.register(PartnerSpecialization)
class PartnerSpecializationAdmin(AddOnlyMixin, ServiceAdminMixin, admin.ModelAdmin):
    """Granting goes through specializations.services.partner_specialization_create (an event, a recompute).
    A holding is then read-only here: its status and anniversary belong to the renewal lifecycle (renewals pages
    and API), its roles to the role allocations."""

    list_display = ["partner", "specialization", "territory", "status", "anniversary", "last_renewed_on"]
    list_filter = ["status", "specialization__kind", "specialization"]
    search_fields = ["partner__legal_name", "specialization__name"]
    autocomplete_fields = ["partner", "territory", "specialization"]
    inlines = [RoleAllocationInline]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["partner", "specialization", "territory", "certified_on", "anniversary"]
        return super().get_fields(request, obj)

    def get_inlines(self, request, obj):
        return self.inlines if obj else []

    def save_model(self, request, obj, form, change):
        obj.pk = services.partner_specialization_create(
            partner=obj.partner,
            specialization=obj.specialization,
            territory=obj.territory,
            certified_on=obj.certified_on,
            anniversary=obj.anniversary,
            actor=request.user,
        ).pk


@admin.register(RoleAllocation)
class RoleAllocationAdmin(ServiceAdminMixin, admin.ModelAdmin):
    """Allocations are added and removed through specializations.services (role_allocate, role_release), which
    check the role and the person and record an event; to move a role, remove it and allocate it again."""

    list_display = ["partner_specialization", "role", "individual"]
    autocomplete_fields = ["partner_specialization", "role", "individual"]
    search_fields = ["individual__last_name", "partner_specialization__partner__legal_name"]

    def save_model(self, request, obj, form, change):
        obj.pk = services.role_allocate(
            partner_specialization=obj.partner_specialization,
            role=obj.role,
            individual=obj.individual,
            actor=request.user,
        ).pk

    def delete_model(self, request, obj):
        services.role_release(allocation=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for allocation in queryset:
            services.role_release(allocation=allocation, actor=request.user)

    def has_change_permission(self, request, obj=None):
        return False
