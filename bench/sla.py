"""SLA clocks, compliance and the SLA pages of a project with 2,000 incidents: `.venv/bin/python -m bench sla`.

A throw-away SQLite project gets a Chinese office-hours calendar (Mon–Fri 09:00-12:00, 13:00-18:00 with China's
public holidays and make-up working days), one vendor with a service level per severity, and 2,000 incidents
opened over the twelve months before `NOW` (fixed seed), each with two to six status changes (acknowledged, in
progress, waiting and back, resolved, closed; a tenth still open). Timed, median of 20 after a warm-up:
- the clocks of one page of 50 incidents (`incident_clocks`), and of all 2,000 (what compliance measures);
- the compliance figures per vendor, severity and month, and the hypercare exit judgement, from those outcomes;
- the incidents page, the compliance page, the hypercare page and the API's incident list, as the owner, with the
  number of queries of the last request.
Targets: a page of clocks under 50 ms; every page under 1 s with 2,000 incidents.
"""

import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

INCIDENTS = 2000
RUNS = 20
NOW = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
SEVERITIES = ("critical", "major", "minor", "trivial")
TARGETS = {"critical": (1, 8), "major": (2, 16), "minor": (8, 40), "trivial": (16, 80)}


def _timed(call, runs: int = RUNS) -> float:
    call()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _changes(rng: random.Random, opened: datetime) -> list[tuple[datetime, str]]:
    at, changes = opened, []
    path = ["acknowledged", "in_progress"]
    if rng.random() < 0.3:
        path += ["waiting", "in_progress"]
    if rng.random() < 0.9:
        path += ["resolved"] + (["closed"] if rng.random() < 0.7 else [])
    for status in path:
        at += timedelta(minutes=rng.randint(10, 60 * 30))
        if at >= NOW:
            break
        changes.append((at, status))
    return changes


def build():
    from django.apps import apps
    from django.contrib.auth import get_user_model

    from projects.models import (
        BusinessCalendar,
        Incident,
        IncidentChange,
        IncidentSequence,
        Membership,
        Project,
        ServiceLevel,
    )

    owner = get_user_model().objects.create_user("bench-owner", password="bench-owner")  # noqa: S106
    project = Project.objects.create(code="SLABENCH", name="SLA benchmark")
    Membership.objects.create(project=project, user=owner, role="owner")
    vendor = apps.get_model("requirements", "Vendor").objects.create(project=project, name="Vendor A")
    week = dict.fromkeys(("mon", "tue", "wed", "thu", "fri"), "09:00-12:00, 13:00-18:00")
    calendar = BusinessCalendar.objects.create(project=project, name="Office hours", **week)
    for severity, (response, resolution) in TARGETS.items():
        ServiceLevel.objects.create(
            project=project,
            vendor=vendor,
            severity=severity,
            response_hours=Decimal(response),
            resolution_hours=Decimal(resolution),
            calendar=calendar,
        )
    rng = random.Random(2000)
    incidents, histories = [], []
    for number in range(1, INCIDENTS + 1):
        opened = NOW - timedelta(minutes=rng.randint(60, 365 * 24 * 60))
        changes = _changes(rng, opened)
        status = changes[-1][1] if changes else "new"
        incidents.append(
            Incident(
                project=project,
                number=number,
                title=f"Incident {number}",
                severity=rng.choices(SEVERITIES, weights=(1, 4, 8, 3))[0],
                status=status,
                vendor=vendor,
                opened_at=opened,
            )
        )
        histories.append([(opened, "new"), *changes])
    Incident.objects.bulk_create(incidents)
    IncidentSequence.objects.create(project=project, last_number=INCIDENTS)
    IncidentChange.objects.bulk_create(
        IncidentChange(incident=incident, at=at, status=status)
        for incident, history in zip(incidents, histories, strict=True)
        for at, status in history
    )
    return project, owner


def bench_sla() -> None:
    from bench.requirements import _use_database
    from bench.uat import _measure

    with tempfile.TemporaryDirectory() as tmp:
        _use_database(Path(tmp) / "bench-sla.sqlite3")
        from django.core.management import call_command
        from django.test import Client

        from projects.models import Incident
        from projects.selectors.sla import incident_clocks, outcome_of
        from projects.sla_compliance import by_vendor_severity_month, compliance, hypercare_exit

        call_command("migrate", verbosity=0)
        project, owner = build()
        every = list(Incident.objects.filter(project=project).select_related("vendor"))
        page = every[:50]
        clocks = incident_clocks(every, NOW)
        outcomes = [outcome_of(i, clocks[i.pk], NOW) for i in every]
        breached = sum(1 for c in clocks.values() if c.breached)
        print(f"sla      {INCIDENTS} incidents over 12 months, {breached} breached, on a Chinese office-hours calendar")
        print(f"sla      clocks of a page of 50        median {_timed(lambda: incident_clocks(page, NOW)):7.1f} ms")
        every_ms = _timed(lambda: incident_clocks(every, NOW), 5)
        print(f"sla      clocks of all {INCIDENTS}          median {every_ms:7.1f} ms")
        print(
            f"sla      compliance by vendor/severity/month  median "
            f"{_timed(lambda: compliance(outcomes, by_vendor_severity_month)):7.1f} ms"
        )
        judge = lambda: hypercare_exit(outcomes, now=NOW, days=14, threshold=90.0)  # noqa: E731
        print(f"sla      hypercare exit judgement      median {_timed(judge):7.1f} ms")
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(owner)
        base, api = f"/p/{project.code}/sla", f"/api/v1/projects/{project.code}"
        for label, url in (
            ("incidents page", f"{base}/"),
            ("compliance", f"{base}/compliance/"),
            ("hypercare", f"{base}/hypercare/"),
            ("api incidents", f"{api}/incidents/"),
        ):
            label, median, p95, queries = _measure(client, label, url)
            print(f"sla      {label:<15} median {median:6.1f} ms, p95 {p95:6.1f} ms, {queries:3d} queries")


if __name__ == "__main__":
    bench_sla()
