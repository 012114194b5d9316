"""The admin site every model is registered on (core.apps.PortalAdminConfig): its selects say what to choose.
Apart from core/admin.py, which registers on it: the site's module must not register anything itself."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.http import HttpRequest

from .forms import name_empty_choice

if TYPE_CHECKING:
    _ModelAdmin = admin.ModelAdmin[Any]
else:
    _ModelAdmin = object


class NamedChoicesAdmin(_ModelAdmin):
    """Every admin page says what to choose: "Choose an action…", "Choose a partner…", never "---------"
    (PortalAdminSite mixes it into every registered admin)."""

    def get_action_choices(self, request: HttpRequest, default_choices: Any = None) -> list[tuple[str, str]]:
        return super().get_action_choices(request, default_choices=default_choices or [("", "Choose an action…")])

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        name_empty_choice(db_field.name, field)
        return field


class PortalAdminSite(admin.AdminSite):
    site_header = site_title = "Partner portal administration"

    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        admin_class = admin_class or admin.ModelAdmin
        named = type(admin_class.__name__, (NamedChoicesAdmin, admin_class), {"__module__": admin_class.__module__})
        super().register(model_or_iterable, named, **options)
