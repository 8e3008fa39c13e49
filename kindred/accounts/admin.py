from django.contrib import admin

from kindred.accounts.models import (
    Membership,
    Organisation,
    OrganisationDomain,
    Partnership,
    RoleGrant,
    User,
)


class DomainInline(admin.TabularInline):
    model = OrganisationDomain
    extra = 1


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "time_zone"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [DomainInline]


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["from_organisation", "to_organisation", "since"]


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    # Operators see the pseudonym and contact email only; content lives elsewhere, encrypted.
    list_display = ["display_name", "email", "is_active", "date_joined"]
    search_fields = ["display_name", "email"]
    fields = ["display_name", "email", "country", "is_active", "is_staff", "is_superuser"]


class GrantInline(admin.TabularInline):
    model = RoleGrant
    fk_name = "membership"
    extra = 0
    fields = ["role", "trained_until", "granted_by", "revoked_at"]
    raw_id_fields = ["granted_by"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "verified_by", "joined_at"]
    list_filter = ["organisation"]
    raw_id_fields = ["user"]
    inlines = [GrantInline]
