from django.contrib import admin

from core.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import Association, Individual, Partner, Profile, Territory


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    filter_horizontal = ["countries"]


class AssociationInline(ReadOnlyInline):
    model = Association


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["legal_name", "vendor_partner_id", "is_registered", "registered_on"]
    list_filter = ["is_registered", "territories"]
    search_fields = ["legal_name", "vendor_partner_id"]
    filter_horizontal = ["territories", "account_managers"]


@admin.register(Individual)
class IndividualAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "email", "testing_number"]
    search_fields = ["last_name", "first_name", "email", "testing_number"]
    inlines = [AssociationInline]


@admin.register(Association)
class AssociationAdmin(ReadOnlyAdmin):
    """Read-only: who works for which partner decides points and roles; associations are opened and closed through
    partners.services.individual_associate (the individual pages and the API), which keeps the history and
    records events."""

    list_display = ["individual", "partner", "start", "end"]
    autocomplete_fields = ["individual", "partner"]
    search_fields = ["individual__last_name", "partner__legal_name"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "partner", "individual"]
    list_filter = ["role"]
    autocomplete_fields = ["partner", "individual"]
    search_fields = ["user__username", "user__email"]
