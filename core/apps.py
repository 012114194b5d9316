from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    """The leaf every app may use and that uses none of them: clock, dates, events, notices, recompute queue."""

    name = "core"
    verbose_name = "Events, notices and policy"
    default = True


class PortalAdminConfig(admin_apps.AdminConfig):
    """The Django admin on core.admin_site.PortalAdminSite: its selects say what to choose."""

    default = False
    default_site = "core.admin_site.PortalAdminSite"
