"""Benchmarks that print figures: `make bench` (or `.venv/bin/python -m bench`).

- startup: how long a repeated `make run` takes from the command to the first answered request
  (the set-up is done once first, so this is the "second run").
- pages: median server time and query count of the main pages, signed in as the demo lead,
  measured in-process with Django's test client against a throw-away copy of the demo.
- requirements: list, detail and API of a throw-away project with 5,000 requirements (bench/requirements.py).
- specification: the PDF of 1,000 Chinese requirements against WeasyPrint's floor, and the HTML publish of
  5,000 requirements (bench/specification.py).
- uat: the run page, a tester's queue, the case list, defects and coverage of a started run of 1,000 cases × 5 steps
  (bench/uat.py).
- profiling: a generated 500,000-row stock extract profiled in one streaming pass in a child process, in seconds and
  peak memory (bench/profiling.py).
- sla: SLA clocks, compliance and the hypercare judgement of 2,000 incidents, and the SLA pages and API with them
  stored (bench/sla.py).
- cutover: forecast times, slack and critical path of a generated 300-task runbook, as a plan and as a live run, in
  milliseconds; its Gantt and dependency SVG; the runbook page, a rehearsal's dashboard and the API with the same
  runbook stored (bench/cutover.py).
"""

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_startup(runs: int = 3) -> None:
    subprocess.run(["make", "-s", "setup", "demo"], cwd=ROOT, check=True, capture_output=True)
    times = []
    for _ in range(runs):
        port = _free_port()
        start = time.perf_counter()
        proc = subprocess.Popen(
            ["make", "-s", "run", f"PORT={port}"],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            deadline = start + 60
            while time.perf_counter() < deadline:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=1) as r:
                        if r.status == 200:
                            break
                except OSError:
                    time.sleep(0.05)
            times.append(time.perf_counter() - start)
        finally:
            os.killpg(proc.pid, 15)
            proc.wait()
    print(
        f"startup  second `make run` to first answered request: median {statistics.median(times):.2f} s "
        f"(runs: {', '.join(f'{t:.2f}' for t in times)}; target < 10 s)"
    )


def bench_pages(repeat: int = 20) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        from projects.demo import build_demo

        call_command("migrate", verbosity=0)
        project = build_demo(language="zh-hans")
        client = Client(HTTP_HOST="127.0.0.1")
        client.login(username="lead", password="workbench-demo")  # noqa: S106 - the demo's published login
        pages = {
            "project list": "/",
            "overview": f"/p/{project.code}/",
            "team": f"/p/{project.code}/team/",
            "history": f"/p/{project.code}/history/",
            "goals": f"/p/{project.code}/goals/",
            "kpi detail": project.goals.first().kpis.first().get_absolute_url(),
            "kpi chart": project.goals.first().kpis.first().get_absolute_url() + "chart.svg",
            "drivers": f"/p/{project.code}/drivers/",
            "raci": f"/p/{project.code}/raci/",
            "api members": f"/api/v1/projects/{project.code}/members/",
            "api kpis": f"/api/v1/projects/{project.code}/kpis/",
            "processes": f"/p/{project.code}/processes/",
            "process detail": project.processes.order_by("pk").first().get_absolute_url(),
            "process svg": project.processes.order_by("pk").first().get_absolute_url() + "diagram.svg",
            "findings": f"/p/{project.code}/findings/",
            "api process": f"/api/v1/projects/{project.code}/processes/{project.processes.order_by('pk').first().pk}/",
        }
        for label, url in pages.items():
            client.get(url)  # warm up templates
            times = []
            for _ in range(repeat):
                with CaptureQueriesContext(connection) as queries:
                    start = time.perf_counter()
                    response = client.get(url)
                    times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (url, response.status_code)
            print(f"page     {label:<14} median {statistics.median(times):6.1f} ms  {len(queries):3d} queries")
        bench_import(project)
        bench_diagram(project)


def bench_diagram(project, steps: int = 30, lanes: int = 6) -> None:
    """Render the swimlane diagram of a 30-step, 6-lane process with branches and loops."""
    from projects.diagrams import process_swimlane_svg
    from projects.selectors.processes import process_steps
    from projects.services import processes as services

    process = services.process_create(project=project, name="bench 30 steps")
    made = [
        services.step_insert(process=process, lane=f"Lane {i % lanes + 1}", action=f"Step {i + 1} of the bench flow")
        for i in range(steps)
    ]
    for i in range(4, steps, 7):
        services.step_set_next(step=made[i], next_steps=[made[i + 1], made[i - 3]], labels={made[i - 3].pk: "again"})
    loaded = process_steps(process=process)
    times = []
    for _ in range(20):
        start = time.perf_counter()
        svg = process_swimlane_svg(process=process, steps=loaded)
        times.append((time.perf_counter() - start) * 1000)
    print(
        f"diagram  {steps} steps in {lanes} lanes: median {statistics.median(times):.1f} ms, {len(svg) // 1024} KiB SVG"
    )


def bench_import(project, rows: int = 5000) -> None:
    """Check and import the largest CSV of measurements the import accepts (5,000 daily values)."""
    from datetime import date, timedelta
    from decimal import Decimal

    from projects.services import goals as services

    goal = project.goals.first()
    kpi = services.kpi_create(goal=goal, name="bench", baseline=Decimal(0), target=Decimal(100))
    start = date(2010, 1, 1)
    text = "date,value,source,note\n" + "\n".join(
        f"{start + timedelta(days=i):%Y-%m-%d},{i % 97}.5,bench,row {i}" for i in range(rows)
    )
    began = time.perf_counter()
    result = services.measurement_csv_parse(kpi=kpi, text=text)
    checked = time.perf_counter()
    assert result.ok, result.errors[:3]
    services.measurement_import(kpi=kpi, rows=result.rows)
    done = time.perf_counter()
    print(f"import   {rows} CSV rows: check {(checked - began) * 1000:.0f} ms, import {(done - checked) * 1000:.0f} ms")


if __name__ == "__main__":
    which = sys.argv[1:] or ["startup", "pages", "requirements", "specification", "uat", "profiling", "cutover", "sla"]
    if "startup" in which:
        bench_startup()
    if "pages" in which:
        bench_pages()
    if "requirements" in which:
        from bench.requirements import bench_requirements

        bench_requirements()
    if "specification" in which:
        from bench.specification import bench_specification

        bench_specification()
    if "uat" in which:
        from bench.uat import bench_uat

        bench_uat()
    if "profiling" in which:
        from bench.profiling import bench_profiling

        bench_profiling()
    if "cutover" in which:
        from bench.cutover import bench_cutover, bench_cutover_pages

        bench_cutover()
        bench_cutover_pages()
    if "sla" in which:
        from bench.sla import bench_sla

        bench_sla()
