"""Requirement keys under concurrent creation: REQ-001, REQ-002 … each exactly once, no gaps.

Real concurrent writers: on PostgreSQL threads with their own connections; on SQLite separate
processes against a temporary file database (the test database may live in memory). On PostgreSQL a
MAX(number) + 1 fails the threaded run with duplicate numbers; on SQLite every write transaction begins
IMMEDIATE, so writers queue whatever the numbering does, and the sequence-row checks catch it instead.
"""

import json
import os
import sqlite3
import subprocess
import sys
import threading
from contextlib import closing
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from requirements.models import Requirement, RequirementSequence, format_key
from requirements.services import requirement_create
from tests.factories import ProjectFactory

ENGINE = settings.DATABASES["default"]["ENGINE"]
ON_POSTGRESQL = ENGINE == "django.db.backends.postgresql"
ON_SQLITE = ENGINE == "django.db.backends.sqlite3"
WRITER = Path(__file__).with_name("key_writer.py")


def expected_keys(n: int) -> list[str]:
    return [format_key(number) for number in range(1, n + 1)]


@pytest.mark.skipif(not ON_POSTGRESQL, reason="the threaded run needs PostgreSQL (DATABASE_URL=postgres://…)")
@pytest.mark.django_db(transaction=True)
def test_eight_threads_get_every_key_once_on_postgresql():
    threads, per_thread = 8, 10
    project = ProjectFactory(code="KEYS")
    start = threading.Barrier(threads)
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            connection.ensure_connection()
            start.wait(timeout=30)
            for i in range(per_thread):
                requirement_create(project=project, title=f"Thread {n}, #{i + 1}", statement="Created under load.")
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    workers = [threading.Thread(target=write, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)

    assert errors == []
    keys = list(Requirement.objects.filter(project=project).order_by("number").values_list("key", flat=True))
    assert keys == expected_keys(threads * per_thread)
    assert RequirementSequence.objects.get(project=project).last_number == threads * per_thread


@pytest.mark.skipif(not ON_SQLITE, reason="the multi-process run is for SQLite")
def test_four_processes_get_every_key_once_on_sqlite(tmp_path):
    processes, per_process = 4, 20
    database = tmp_path / "keys.sqlite3"
    go = tmp_path / "go"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DJANGO_SETTINGS_MODULE": "workbench.settings"}
    subprocess.run([sys.executable, str(WRITER), "setup"], env=env, check=True, timeout=120)

    writers = [
        subprocess.Popen(
            [sys.executable, str(WRITER), "write", str(per_process), str(go)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(processes)
    ]
    try:
        for writer in writers:  # every writer has Django loaded and its connection open
            assert writer.stdout.readline().strip() == "ready", writer.stderr.read()
        go.touch()
        outputs = [writer.communicate(timeout=120) for writer in writers]
    finally:
        for writer in writers:
            if writer.poll() is None:
                writer.kill()
    assert [writer.returncode for writer in writers] == [0] * processes, [err for _out, err in outputs]

    spans = [json.loads(out) for out, _err in outputs]
    # The writers really overlapped: each started before every other one finished.
    assert max(span["first"] for span in spans) < min(span["last"] for span in spans)
    with closing(sqlite3.connect(database)) as db:
        keys = [key for (key,) in db.execute("SELECT key FROM requirements_requirement ORDER BY number")]
        last_row = db.execute("SELECT last_number FROM requirements_requirementsequence").fetchone()
    assert keys == expected_keys(processes * per_process)
    assert last_row == (processes * per_process,)


def test_the_number_is_taken_with_an_update_of_the_sequence_row(project):
    """The mechanism the concurrent runs prove. On SQLite every write transaction begins IMMEDIATE, so writers
    queue whatever the numbering does; this keeps a MAX(number) + 1 from slipping in unnoticed there."""
    requirement_create(project=project, title="First", statement="X")

    with CaptureQueriesContext(connection) as captured:
        requirement_create(project=project, title="Second", statement="X")

    statements = [query["sql"] for query in captured.captured_queries]
    bump = [i for i, sql in enumerate(statements) if sql.startswith('UPDATE "requirements_requirementsequence"')]
    insert = [i for i, sql in enumerate(statements) if sql.startswith('INSERT INTO "requirements_requirement"')]
    assert len(bump) == 1 and len(insert) == 1 and bump[0] < insert[0]
    assert not any("MAX(" in sql.upper() for sql in statements)


def test_a_creation_that_fails_validation_leaves_no_gap(project):
    requirement_create(project=project, title="First", statement="X")
    with pytest.raises(ValidationError):
        requirement_create(project=project, title="", statement="X")

    assert requirement_create(project=project, title="Next", statement="X").key == "REQ-002"
    assert RequirementSequence.objects.get(project=project).last_number == 2


def test_a_creation_that_fails_after_taking_its_number_gives_it_back(project, monkeypatch):
    requirement_create(project=project, title="First", statement="X")

    def refuse(*args, **kwargs):
        raise RuntimeError("the disk is full")

    with monkeypatch.context() as patched:
        patched.setattr(Requirement, "save", refuse)
        with pytest.raises(RuntimeError):
            requirement_create(project=project, title="Lost", statement="X")

    assert requirement_create(project=project, title="Next", statement="X").key == "REQ-002"
    assert list(Requirement.objects.filter(project=project).values_list("key", flat=True)) == ["REQ-001", "REQ-002"]


def test_a_creation_rolled_back_by_its_caller_gives_its_number_back(project):
    with pytest.raises(RuntimeError), transaction.atomic():
        requirement_create(project=project, title="Imported", statement="X")
        raise RuntimeError("the import failed on a later row")

    assert requirement_create(project=project, title="Next", statement="X").key == "REQ-001"
