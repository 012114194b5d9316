"""E-mail backend for the worker tests: one file per message in $TEST_MAIL_DIR, after $TEST_MAIL_DELAY seconds."""

import os
import time
import uuid

from django.core.mail.backends import filebased


class SlowFileBackend(filebased.EmailBackend):
    def __init__(self, *args, **kwargs):
        kwargs["file_path"] = os.environ["TEST_MAIL_DIR"]
        super().__init__(*args, **kwargs)

    def _get_filename(self):
        if self._fname is None:  # never the same name twice (the stock name can repeat within a second)
            self._fname = os.path.join(self.file_path, f"{uuid.uuid4().hex}.log")
        return self._fname

    def send_messages(self, messages):
        time.sleep(float(os.environ.get("TEST_MAIL_DELAY", "0")))
        return super().send_messages(messages)
