from django.apps import AppConfig


class CsatConfig(AppConfig):
    name = "csat"
    verbose_name = "Customer satisfaction (CSAT)"
