"""Job locks: a row locked while a batch job runs, so two runs of the same job never overlap."""

from __future__ import annotations

from .models import JobLock


def job_lock(name: str) -> None:
    """Hold a row lock on `name` until the current transaction ends (serialises batch jobs)."""
    JobLock.objects.get_or_create(name=name)
    JobLock.objects.select_for_update().get(name=name)
