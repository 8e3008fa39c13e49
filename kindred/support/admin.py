"""Operators can record conflicts of interest and see supporter profiles; never conversations."""

from django.contrib import admin

from kindred.support.models import Conflict, SupporterProfile


@admin.register(Conflict)
class ConflictAdmin(admin.ModelAdmin):
    list_display = ["member", "other", "kind"]
    raw_id_fields = ["member", "other"]


@admin.register(SupporterProfile)
class SupporterProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "status", "capacity"]
    list_filter = ["organisation", "status"]
    raw_id_fields = ["user"]
