"""The portal's URLs and error handlers, plus a page that fails (tests/test_error_pages.py)."""

from django.urls import path

from config.urls import handler403, handler404, handler500
from config.urls import urlpatterns as portal


def boom(request):
    raise RuntimeError("a bug")


__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
urlpatterns = [path("boom/", boom), *portal]
