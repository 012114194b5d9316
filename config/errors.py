"""The error pages (config.urls handler403/404/500) and /favicon.ico. The pages are inside the layout, with a way home and back.

A path under /api/ that names no route answers like every other API 404, `{"detail": ...}` in JSON, as the OpenAPI
document says. The 500 page renders without the request (no context processor, no database), and if even that
fails a plain page still goes out."""

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, HttpResponseServerError, JsonResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import requires_csrf_token

FALLBACK_500 = (
    "<!doctype html><html lang=en><title>Something went wrong · Partner Compliance Portal</title>"
    "<h1>Something went wrong</h1><p>The portal could not show this page. Try again in a moment.</p>"
    '<p><a href="/">Home</a></p></html>'
)


def _back(request: HttpRequest) -> str | None:
    """The page the user came from, when it is one of ours and not this very page."""
    referer = request.headers.get("Referer", "")
    same_site = url_has_allowed_host_and_scheme(referer, {request.get_host()}, require_https=request.is_secure())
    return referer if referer and same_site and referer != request.build_absolute_uri() else None


def _page(request: HttpRequest, template: str, status: int, **context) -> HttpResponse:
    context["back"] = _back(request)
    return HttpResponse(render_to_string(template, context, request=request), status=status)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _page(request, "403.html", 403, reason=str(exception))


@requires_csrf_token
def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return _page(request, "404.html", 404)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    try:
        return HttpResponseServerError(render_to_string("500.html"))
    except Exception:  # the template itself failed (storage, a broken include): still answer with a page
        return HttpResponseServerError(FALLBACK_500)


def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers ask for where a page names no icon: the portal's icon (its static file)."""
    return HttpResponseRedirect(static("favicon.svg"))
