from django.apps import AppConfig


class SpecializationsConfig(AppConfig):
    name = "specializations"
