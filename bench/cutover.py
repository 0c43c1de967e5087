"""The cutover scheduling engine on a 300-task runbook: forecast times, slack and critical path, in milliseconds.

`.venv/bin/python -m bench cutover`. A runbook of 300 tasks is generated with a fixed seed as a random DAG of about
450 finish-to-start links (each task waits for one or two of the 25 tasks before it, so chains are long and
branches merge), durations of 5 to 120 minutes with a few milestones, and every 20th task fixed to a time up to an
hour after it would start anyway. It is scheduled as a plan (everything pending) and as a live run (the first 40 %
done, started and finished earlier or later than planned, the next 5 % running, the rest pending, `now` at the
latest actual end), 50 times each after a warm-up; `order()` is timed on the plan too. Pure Python, no database.
The target: the median and the maximum of `schedule` under 100 ms.
"""

import gc
import random
import statistics
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from projects.cutover_schedule import Task, schedule

TASKS = 300
WINDOW = 25
FIXED_EVERY = 20
RUNS = 50
TARGET_MS = 100.0
START = datetime(2026, 3, 13, 22, 0, tzinfo=UTC)


def generate(seed: int = 300) -> list[Task]:
    """A plan of `TASKS` pending tasks with about 1.5 predecessors each."""
    rng = random.Random(seed)
    tasks = []
    for tid in range(1, TASKS + 1):
        earlier = range(max(1, tid - WINDOW), tid)
        count = min(len(earlier), rng.choice((1, 2)))
        predecessors = tuple(rng.sample(earlier, count)) if count else ()
        duration = 0 if rng.random() < 0.05 else rng.randint(5, 120)
        tasks.append(Task(tid, duration, predecessors=predecessors))
    # Fix every 20th task to a time up to an hour after it would start anyway, on the half hour, so that some
    # wait for their time and others are pushed late once the run slips.
    unfixed = schedule(tasks, start=START)
    for index in range(FIXED_EVERY - 1, TASKS, FIXED_EVERY):
        earliest = unfixed.slots[tasks[index].id].start + timedelta(minutes=rng.randint(0, 60))
        fixed = earliest.replace(minute=0 if earliest.minute < 30 else 30, second=0)
        tasks[index] = replace(tasks[index], fixed_start=fixed)
    return tasks


def as_live(tasks: list[Task], seed: int = 301) -> tuple[list[Task], datetime]:
    """The plan part-way through: the first 40 % done with actual times from the plan ±, the next 5 % running."""
    rng = random.Random(seed)
    planned = schedule(tasks, start=START)
    done_until, running_until = int(TASKS * 0.4), int(TASKS * 0.45)
    live = []
    now = START
    for task in tasks:
        slot = planned.slots[task.id]
        if task.id <= done_until:
            actual_start = slot.start + timedelta(minutes=rng.randint(-5, 10))
            actual_end = actual_start + timedelta(minutes=max(0, task.duration + rng.randint(-15, 30)))
            live.append(replace(task, status="done", actual_start=actual_start, actual_end=actual_end))
            now = max(now, actual_end)
        elif task.id <= running_until:
            live.append(replace(task, status="running", actual_start=slot.start))
        else:
            live.append(task)
    return live, now


def _timed(call, runs: int = RUNS) -> list[float]:
    call()  # warm-up
    figures = []
    gc.disable()
    try:
        for _ in range(runs):
            began = time.perf_counter()
            call()
            figures.append((time.perf_counter() - began) * 1000)
    finally:
        gc.enable()
    return figures


def bench_cutover() -> None:
    plan = generate()
    edges = sum(len(task.predecessors) for task in plan)
    fixed = sum(task.fixed_start is not None for task in plan)
    live, now = as_live(plan)
    result = schedule(plan, start=START)
    live_result = schedule(live, start=START, now=now)
    print(
        f"cutover  {len(plan)} tasks, {edges} links, {fixed} fixed-time; plan ends {result.end:%a %H:%M}, "
        f"critical path {len(result.critical_path)} tasks; live at {now:%a %H:%M} ends {live_result.end:%a %H:%M} "
        f"with {sum(slot.late for slot in live_result.slots.values())} late"
    )
    for label, call in (
        ("schedule plan", lambda: schedule(plan, start=START)),
        ("schedule live", lambda: schedule(live, start=START, now=now)),
        ("order() plan", result.order),
    ):
        figures = _timed(call)
        print(
            f"cutover  {label:<14} median {statistics.median(figures):6.2f} ms, max {max(figures):6.2f} ms "
            f"({RUNS} runs; target < {TARGET_MS:.0f} ms)"
        )
    bench_cutover_charts(plan)


CHART_RUNS = 10
STREAMS = ("business", "data", "technical", "communications")


def chart_tasks(plan: list[Task]) -> list:
    """The generated plan as unsaved runbook tasks (titles of everyday length, a tenth in Chinese), for the charts."""
    from projects.models import CutoverTask

    rows = []
    for task in plan:
        title = (
            f"核对第 {task.id} 步的期初库存和余额"
            if task.id % 10 == 0
            else f"Load and reconcile batch {task.id} of stock"
        )
        rows.append(
            CutoverTask(
                pk=task.id,
                number=task.id,
                title=title,
                stream=STREAMS[task.id % len(STREAMS)],
                kind="milestone" if task.duration == 0 else "normal",
                duration_minutes=task.duration,
            )
        )
    return rows


def bench_cutover_charts(plan: list[Task]) -> None:
    """The Gantt chart and the dependency view of the 300-task plan (server-side SVG), median of 10 renders."""
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")
    django.setup()
    from projects.golive_charts import dependency_svg, gantt_svg

    tasks = chart_tasks(plan)
    result = schedule(plan, start=START)
    window = (START, START + timedelta(hours=48))
    markers = [(START + timedelta(hours=20), "Point of no return"), (window[1], "Window ends")]
    for label, call in (
        ("Gantt SVG", lambda: gantt_svg(tasks, result, markers=markers, window=window)),
        ("dependency SVG", lambda: dependency_svg(tasks, result)),
    ):
        figures = _timed(call, CHART_RUNS)
        size = len(call()) / 1024
        print(
            f"cutover  {label:<14} median {statistics.median(figures):6.1f} ms, max {max(figures):6.1f} ms "
            f"({CHART_RUNS} runs, {size:.0f} KiB, {len(tasks)} tasks)"
        )


if __name__ == "__main__":
    bench_cutover()


def bench_cutover_pages() -> None:
    """The go-live pages and API of a stored 300-task runbook, planned and part-way through a running rehearsal.

    The generated plan is written to a throw-away SQLite database (a project with an owner, the tasks with their
    links and fixed starts, and a rehearsal started at the plan's start with the live part of `as_live` recorded),
    then the runbook page, the rehearsal's dashboard, the Gantt SVG, the API's task list (first page) and critical
    path are fetched as the owner: median and p95 of 20 requests, and the queries of the last one.
    """
    import tempfile
    from pathlib import Path

    from bench.requirements import _use_database
    from bench.uat import _measure

    with tempfile.TemporaryDirectory() as tmp:
        _use_database(Path(tmp) / "bench-cutover.sqlite3")
        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.test import Client

        from projects.models import CutoverRun, CutoverTask, Membership, Project, TaskRun
        from projects.services import golive as services

        call_command("migrate", verbosity=0)
        plan_tasks = generate()
        live, now = as_live(plan_tasks)
        owner = get_user_model().objects.create_user("bench-owner", password="bench-owner")  # noqa: S106
        project = Project.objects.create(code="CUTBENCH", name="Cutover benchmark")
        Membership.objects.create(project=project, user=owner, role="owner")
        plan = services.plan_for(project)
        plan.window_start, plan.window_end = START, START + timedelta(days=3)
        plan.save()
        rows = {
            t.id: CutoverTask(
                plan=plan,
                number=t.id,
                title=f"Load and reconcile batch {t.id}",
                stream=STREAMS[t.id % len(STREAMS)],
                kind="milestone" if t.duration == 0 else "normal",
                duration_minutes=t.duration,
                fixed_start=t.fixed_start,
            )
            for t in plan_tasks
        }
        CutoverTask.objects.bulk_create(rows.values())
        through = CutoverTask.predecessors.through
        through.objects.bulk_create(
            through(from_cutovertask_id=rows[t.id].pk, to_cutovertask_id=rows[p].pk)
            for t in plan_tasks
            for p in t.predecessors
        )
        run = CutoverRun.objects.create(
            plan=plan, kind="rehearsal", name="Rehearsal", planned_start=START, status="running", started_at=START
        )
        TaskRun.objects.bulk_create(
            TaskRun(run=run, task=rows[t.id], status=t.status, actual_start=t.actual_start, actual_end=t.actual_end)
            for t in live
        )
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(owner)
        base, api = f"/p/{project.code}/golive", f"/api/v1/projects/{project.code}/cutover"
        print(f"cutover  pages of a stored {TASKS}-task runbook; a rehearsal with {int(TASKS * 0.4)} tasks done")
        for label, url in (
            ("runbook page", f"{base}/runbook/"),
            ("run dashboard", f"{base}/runs/{run.pk}/"),
            ("runbook gantt", f"{base}/runbook/gantt.svg"),
            ("api tasks", f"{api}/tasks/"),
            ("api crit. path", f"{api}/critical-path/?run={run.pk}"),
        ):
            label, median, p95, queries = _measure(client, label, url)
            print(f"cutover  {label:<14} median {median:6.1f} ms, p95 {p95:6.1f} ms, {queries:3d} queries")
