"""E-mail backend for the worker tests: one file per message in $TEST_MAIL_DIR, after $TEST_MAIL_DELAY seconds."""
import os
import time

from django.core.mail.backends import filebased


class SlowFileBackend(filebased.EmailBackend):
    def __init__(self, *args, **kwargs):
        kwargs["file_path"] = os.environ["TEST_MAIL_DIR"]
        super().__init__(*args, **kwargs)

    def send_messages(self, messages):
        time.sleep(float(os.environ.get("TEST_MAIL_DELAY", "0")))
        return super().send_messages(messages)
