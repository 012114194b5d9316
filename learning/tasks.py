from .ce_tasks import ce_send_reminders  # noqa: F401
