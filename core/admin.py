from django.contrib import admin

from .models import Event, JobLock, Notice, Policy


class NoticeInline(admin.TabularInline):
    model = Notice
    extra = 0
    fields = ["recipient", "subject", "status", "attempts", "sent_at"]
    readonly_fields = fields


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["occurred_at", "partner", "kind", "summary"]
    list_filter = ["kind"]
    search_fields = ["summary", "dedupe_key", "partner__legal_name"]
    readonly_fields = ["partner", "kind", "summary", "payload", "occurred_at", "actor", "dedupe_key"]
    inlines = [NoticeInline]


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status"]
    search_fields = ["recipient", "subject"]
    readonly_fields = ["event", "recipient", "cc", "subject", "body_text", "body_html", "attempts", "claimed_at",
                       "sent_at", "last_error", "created_at"]


@admin.register(JobLock)
class JobLockAdmin(admin.ModelAdmin):
    list_display = ["name"]


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    list_display = ["key", "effective_from", "value", "description"]
    list_filter = ["key"]
