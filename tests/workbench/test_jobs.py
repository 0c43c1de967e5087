"""Background jobs: queued → running → done with its file, or failed with a message."""

import pytest

from tests.factories import UserFactory
from workbench.jobs import job_enqueue, job_run
from workbench.models import Job

CALLS: list[int] = []


def make_file(job, report):
    report(50, "half way")
    CALLS.append(Job.objects.get(pk=job.pk).progress)
    return "out.txt", "text/plain", f"hello {job.params['who']}".encode()


def break_down(job, report):
    raise ValueError("the printer is on fire")


@pytest.fixture
def user(db):
    return UserFactory(username="worker")


def test_a_synchronous_job_runs_to_done(settings, user):
    settings.WORKBENCH_JOBS_SYNC = True
    CALLS.clear()
    job = job_enqueue(
        kind="demo",
        handler="tests.workbench.test_jobs.make_file",
        project_code="ACME",
        user=user,
        params={"who": "world"},
    )
    assert CALLS == [50]
    assert (job.status, job.progress, job.message) == ("done", 100, "")
    assert (job.result_name, job.result_type, bytes(job.result)) == ("out.txt", "text/plain", b"hello world")
    assert job.finished_at is not None and job.is_finished


def test_a_job_waits_for_the_commit_when_not_synchronous(settings, user, django_capture_on_commit_callbacks):
    settings.WORKBENCH_JOBS_SYNC = False
    started = []
    import workbench.jobs as jobs

    original = jobs._start_thread
    jobs._start_thread = started.append
    try:
        with django_capture_on_commit_callbacks(execute=True):
            job = job_enqueue(
                kind="demo",
                handler="tests.workbench.test_jobs.make_file",
                project_code="ACME",
                user=user,
                params={"who": "x"},
            )
            assert job.status == "queued" and job.progress == 0 and started == []
    finally:
        jobs._start_thread = original
    assert started == [job.pk]
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "done"


def test_a_failure_is_recorded_with_its_message(settings, user):
    settings.WORKBENCH_JOBS_SYNC = True
    job = job_enqueue(kind="demo", handler="tests.workbench.test_jobs.break_down", project_code="ACME", user=user)
    assert job.status == "failed"
    assert job.message == "the printer is on fire"
    assert job.result is None and job.finished_at is not None


def test_a_job_runs_only_once(settings, user):
    settings.WORKBENCH_JOBS_SYNC = True
    CALLS.clear()
    job = job_enqueue(
        kind="demo",
        handler="tests.workbench.test_jobs.make_file",
        project_code="ACME",
        user=user,
        params={"who": "once"},
    )
    job_run(job_id=job.pk)
    assert CALLS == [50]


def test_an_unknown_handler_is_refused_at_once(user):
    with pytest.raises(ImportError):
        job_enqueue(kind="demo", handler="tests.workbench.test_jobs.nothing_here", project_code="ACME", user=user)
    assert not Job.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_thread_job_finishes_and_closes_its_connection(settings):
    """The real thing: a daemon thread with its own connection, started after commit."""
    import time

    settings.WORKBENCH_JOBS_SYNC = False
    worker = UserFactory(username="threaded")
    job = job_enqueue(
        kind="demo",
        handler="tests.workbench.test_jobs.make_file",
        project_code="ACME",
        user=worker,
        params={"who": "thread"},
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            break
        time.sleep(0.05)
    assert job.status == "done" and bytes(job.result) == b"hello thread"
