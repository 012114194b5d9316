from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from .event_kinds import KINDS, kind_topic
from .models import DailyRun, Event, JobLock, Notice, Policy

if TYPE_CHECKING:  # the mixin is only ever mixed into a ModelAdmin; say so to mypy
    _ModelAdmin = admin.ModelAdmin[Any]
else:
    _ModelAdmin = object


class ServiceAdminMixin(_ModelAdmin):
    """For an admin whose saves and deletions call a service: a ValidationError the service raises rolls the whole
    change back and comes back as a message, not a server error."""

    def changeform_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return super().changeform_view(request, *args, **kwargs)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def delete_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return super().delete_view(request, *args, **kwargs)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class AddOnlyMixin(_ModelAdmin):
    """For rows a service creates from the admin's add form and that are then changed only by their own
    actions and pages (or not at all): no change form, no delete."""

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False


class ReadOnlyAdmin(AddOnlyMixin, admin.ModelAdmin):
    """A page to read rows that only services write (events, a recompute, the history they keep). Subclasses say
    in their docstring where the rows are changed."""

    def has_add_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False


class NoticeInline(admin.TabularInline):
    model = Notice
    extra = 0
    fields = readonly_fields = ("recipient", "subject", "status", "attempts", "sent_at")


class KindFilter(admin.SimpleListFilter):
    """Filter events by kind, listed in words (core/event_kinds.py)."""

    title = "what happened"
    parameter_name = "kind"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return sorted(KINDS.items(), key=lambda item: (kind_topic(item[0]), item[1]))

    def queryset(self, request: HttpRequest, queryset: QuerySet[Event]) -> QuerySet[Event]:
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["occurred_at", "partner", "topic", "summary"]
    list_filter = [KindFilter]
    search_fields = ["summary", "dedupe_key", "partner__legal_name"]
    readonly_fields = ["partner", "kind", "summary", "payload", "occurred_at", "actor", "dedupe_key"]
    inlines = [NoticeInline]


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status"]
    search_fields = ["recipient", "subject"]
    readonly_fields = [
        "event",
        "recipient",
        "cc",
        "subject",
        "body_text",
        "body_html",
        "attempts",
        "claimed_at",
        "sent_at",
        "last_error",
        "created_at",
    ]


@admin.register(JobLock)
class JobLockAdmin(admin.ModelAdmin):
    list_display = ["name"]


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    list_display = ["key", "effective_from", "value", "description"]
    list_filter = ["key"]


@admin.register(DailyRun)
class DailyRunAdmin(ReadOnlyAdmin):
    """The daily runs; written only by the run itself (config/daily.py): its start, each chunk, its final step."""

    list_display = ["as_of", "state", "started_at", "finished_at", "chunks_done", "chunks_total"]
    list_filter = ["state"]
    date_hierarchy = "as_of"
    readonly_fields = [f.name for f in DailyRun._meta.fields]
