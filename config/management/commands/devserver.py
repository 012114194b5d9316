"""Run the whole portal locally: web server, Celery worker and beat scheduler; Ctrl-C stops all."""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from .seed_demo import where_emails_go


class Command(BaseCommand):
    help = "Migrate, load demo data, then run runserver + celery worker with embedded beat together."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--no-demo", action="store_true", help="Skip loading the demo data")

    def handle(self, *args, addrport, no_demo, **options):
        call_command("migrate", interactive=False, verbosity=1)
        if no_demo:
            self.stdout.write(where_emails_go())
        else:
            call_command("seed_demo", stdout=self.stdout)  # ends with the block of demo logins and where emails go
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings.local"),
        }
        beat_db = settings.BASE_DIR / "var" / "celerybeat-schedule"
        beat_db.parent.mkdir(parents=True, exist_ok=True)
        procs = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "config",
                    "worker",
                    "-B",
                    "--loglevel",
                    "INFO",
                    "--concurrency",
                    "2",
                    "--schedule",
                    str(beat_db),
                ],
                env=env,
            ),
            subprocess.Popen([sys.executable, "manage.py", "runserver", addrport, "--noreload"], env=env),
        ]
        self.stdout.write(
            self.style.SUCCESS(
                f"Portal on http://{addrport}/ (broker: {settings.CELERY_BROKER_URL}). Ctrl-C stops everything."
            )
        )

        def stop(signum, frame):
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, stop)
        try:
            while all(p.poll() is None for p in procs):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            for p in procs:
                if p.poll() is None:
                    p.send_signal(signal.SIGTERM)
            for p in procs:
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
