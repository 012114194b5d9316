from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from config.api_docs import RedocView, SchemaView, SwaggerView
from config.errors import favicon
from config.health import healthz
from config.help import help_page

handler403 = "config.errors.permission_denied"
handler404 = "config.errors.not_found"
handler500 = "config.errors.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("help/", help_page, name="help"),
    # Browsers ask for /favicon.ico on pages that name no icon (the API docs, a raw file): the portal's icon.
    path("favicon.ico", favicon),
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/v1/", include(("config.api_urls", "v1"), namespace="v1")),
    path("api/schema/", SchemaView.as_view(api_version="v1"), name="schema"),
    path("api/docs/", SwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api/redoc/", RedocView.as_view(url_name="schema"), name="api-redoc"),
    path("learning/ce/", include("certifications.urls")),
    path("", include("learning.specialization_urls")),
    path("", include("learning.urls")),
    path("", include("loyalty.urls")),
    path("", include("renewals.urls")),
    path("", include("home.urls")),
    path("", include("partners.urls")),
    path("", include("compliance.urls")),
    path("", include("csat.urls")),
    path("", include("integrations.urls")),
    path("", include("webhooks.urls")),
]
