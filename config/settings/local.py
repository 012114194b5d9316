"""Local development: the embedded default (SQLite, filesystem broker, emails written to files in var/emails/)."""

from .base import *  # noqa: F401,F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Emails go to files (one per connection, under EMAIL_FILE_PATH: var/emails/), not to the console or a server.
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend")
API_DOCS_PUBLIC = env.bool("API_DOCS_PUBLIC", default=True)
WEBHOOKS_ALLOW_LOOPBACK = env.bool("WEBHOOKS_ALLOW_LOOPBACK", default=True)  # receivers on 127.0.0.1
