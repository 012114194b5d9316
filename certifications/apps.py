from django.apps import AppConfig


class CertificationsConfig(AppConfig):
    """Individual certifications, exams, CE activities, CE credit claims and renewal paths (RULES 8)."""

    name = "certifications"
    verbose_name = "Individual certifications and CE"
