"""Background jobs: a row per job, run in a daemon thread once the creating transaction commits.

A handler is a plain function `handler(job, report) -> (file name, content type, bytes)`; `report(percent,
message)` records progress. The thread uses its own database connection and closes it at the end. With
`settings.WORKBENCH_JOBS_SYNC` (tests) a job runs at once in the caller's thread, so tests are deterministic.
Jobs do not survive a restart of the server: a queued or running job then stays as it was, and the user
starts a new one.
"""

import logging
import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from workbench.models import Job

logger = logging.getLogger(__name__)

Report = Callable[[int, str], None]


def job_enqueue(
    *, kind: str, handler: str, project_code: str, user: Any, params: dict | None = None, view_name: str = ""
) -> Job:
    """Create a queued job and start it after commit (at once when WORKBENCH_JOBS_SYNC is set)."""
    import_string(handler)  # fail now, in the request, if the handler does not exist
    job = Job.objects.create(
        kind=kind,
        handler=handler,
        view_name=view_name,
        project_code=project_code,
        user=user,
        params=params or {},
    )
    if getattr(settings, "WORKBENCH_JOBS_SYNC", False):
        job_run(job_id=job.pk)
        job.refresh_from_db()
    else:
        transaction.on_commit(lambda: _start_thread(job.pk))
    return job


def _start_thread(job_id: int) -> None:
    threading.Thread(target=_run_in_thread, args=(job_id,), name=f"job-{job_id}", daemon=True).start()


def _run_in_thread(job_id: int) -> None:
    close_old_connections()
    try:
        job_run(job_id=job_id)
    finally:
        connection.close()


def job_report(*, job_id: int, progress: int, message: str = "") -> None:
    """Record how far a job has come (0–100) and what it is doing."""
    Job.objects.filter(pk=job_id).update(progress=max(0, min(100, int(progress))), message=message)


def job_run(*, job_id: int) -> None:
    """Run one queued job to its end; an exception marks it failed with the exception's message."""
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(status=Job.Status.RUNNING)
    if not claimed:
        return  # already taken
    job = Job.objects.get(pk=job_id)

    def report(progress: int, message: str = "") -> None:
        job_report(job_id=job_id, progress=progress, message=message)

    try:
        name, content_type, data = import_string(job.handler)(job, report)
    except Exception as exc:  # noqa: BLE001 - whatever went wrong is shown to the user on the job page
        logger.exception("job %s (%s) failed", job_id, job.kind)
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.FAILED, message=str(exc) or exc.__class__.__name__, finished_at=timezone.now()
        )
        return
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.DONE,
        progress=100,
        message="",
        result_name=name,
        result_type=content_type,
        result=data,
        finished_at=timezone.now(),
    )
