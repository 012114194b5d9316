from django.contrib import admin

from .models import Association, Individual, Partner, Profile, Territory


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    filter_horizontal = ["countries"]


class AssociationInline(admin.TabularInline):
    model = Association
    extra = 0
    autocomplete_fields = ["partner"]


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
class AssociationAdmin(admin.ModelAdmin):
    list_display = ["individual", "partner", "start", "end"]
    autocomplete_fields = ["individual", "partner"]
    search_fields = ["individual__last_name", "partner__legal_name"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "partner", "individual"]
    list_filter = ["role"]
    autocomplete_fields = ["partner", "individual"]
    search_fields = ["user__username", "user__email"]
