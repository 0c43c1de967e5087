"""Requirements at scale: a throw-away project with 5,000 requirements, its list, detail and API timed.

`.venv/bin/python -m bench requirements`. The project is built in a temporary SQLite file in bulk (rows
and history in batches), then each page is requested 30 times after a warm-up with Django's test
client, signed in as the project owner; the figures are server time in process, without a network.
"""

import gc
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = 5000
REPEAT = 30
BATCH = 500


def _use_database(path: Path) -> None:
    """Point Django at a fresh SQLite file: set it up, or re-point it when another benchmark already did."""
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")
    sys.path.insert(0, str(ROOT))
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()
        return
    from django.db import connections

    connections.close_all()
    connections["default"].settings_dict["NAME"] = str(path)


# Which requirements get what: plain predicates on the number, so the detail page can pick a full one.
def _has_goal(n: int) -> bool:
    return n % 5 != 1


def _has_kpi(n: int) -> bool:
    return n % 3 == 0


def _has_finding(n: int) -> bool:
    return n % 7 == 0


def _parent_of(n: int) -> int | None:
    """Every tenth requirement is a root; four of the nine after it hang below it."""
    return n - n % 10 if n > 10 and n % 10 in (2, 3, 5, 6) else None


def _edited(n: int) -> bool:
    return n % 5 == 0


def build(code: str = "BENCH") -> tuple[Any, Any, str]:
    """The project, its owner, and the key of a requirement with every kind of link and some history."""
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone
    from simple_history.utils import bulk_create_with_history, bulk_update_with_history

    from projects.models import Membership
    from projects.services import goals as goal_services
    from projects.services import processes as process_services
    from projects.services import project_create
    from requirements.models import Requirement, RequirementSequence, SuspectFlag, Transition, format_key

    rng = random.Random(5000)
    users = get_user_model()
    owner = users.objects.create_user("lead", first_name="Li", last_name="Lead")
    project = project_create(creator=owner, code=code, name="Bench: 5,000 requirements")
    roles = [Membership.Role.EDITOR] * 5 + [Membership.Role.TESTER] * 3
    members = [Membership.objects.get(project=project, user=owner)] + [
        Membership.objects.create(project=project, user=users.objects.create_user(f"member{i}"), role=role)
        for i, role in enumerate(roles)
    ]
    goals = [goal_services.goal_create(project=project, statement=f"Goal {i + 1}") for i in range(20)]
    kpis = [
        goal_services.kpi_create(
            goal=goals[i % len(goals)], name=f"KPI {i + 1}", unit="%", baseline=Decimal(60), target=Decimal(90)
        )
        for i in range(40)
    ]
    findings = []
    for p in range(10):
        process = process_services.process_create(project=project, name=f"Process {p + 1}")
        for s in range(8):
            step = process_services.step_insert(process=process, lane=f"Lane {s % 3 + 1}", action=f"Step {s + 1}")
            if s % 4 == 0:
                findings += [
                    process_services.finding_create(step=step, kind="pain_point", severity=3, description=f"Pain {k}")
                    for k in range(5)
                ]

    statuses = (
        ["draft"] * 2 + ["in_review"] * 2 + ["approved"] * 4 + ["implemented", "verified", "rejected", "deferred"]
    )
    priorities = ["must"] * 4 + ["should"] * 3 + ["could"] * 2 + ["wont"]
    created = timezone.now() - timedelta(days=60)
    requirements = [
        Requirement(
            id=n,
            project=project,
            number=n,
            key=format_key(n),
            title=f"Requirement {n}: {rng.choice(['scan', 'count', 'ship', 'invoice', 'reserve'])} "
            f"{rng.choice(['pallets', 'orders', 'batches', 'returns', 'bins'])}",
            statement=f"The system **must** handle case {n} within one second, for every warehouse and shift.\n\n"
            f"- keeps an audit trail\n- works offline on the handheld",
            acceptance_criteria=f"Case {n} passes the UAT script end to end.",
            layer=rng.choice(Requirement.Layer.values),
            category=rng.choice(Requirement.Category.values),
            priority=rng.choice(priorities),
            status=rng.choice(statuses),
            owner=rng.choice(members),
            source=f"Workshop {n % 12 + 1}",
            parent_id=_parent_of(n),
        )
        for n in range(1, REQUIREMENTS + 1)
    ]
    bulk_create_with_history(
        requirements,
        Requirement,
        batch_size=BATCH,
        default_user=owner,
        default_change_reason="requirement created",
        default_date=created,
    )
    RequirementSequence.objects.create(project=project, last_number=REQUIREMENTS)

    edited = [r for r in requirements if _edited(r.number)]
    for round_ in range(1, 4):
        for r in edited:
            r.title = f"{r.title.split(' (')[0]} (rev. {round_})"
            r.priority = rng.choice(priorities)
            r.version += 1
            r.updated_at = created + timedelta(days=round_)
        bulk_update_with_history(
            edited,
            Requirement,
            ["title", "priority", "version", "updated_at"],
            batch_size=BATCH,
            default_user=rng.choice(members).user,
            default_change_reason="bench edit",
            default_date=created + timedelta(days=round_),
        )

    links = [
        (Requirement.goals.through, "goal_id", _has_goal, goals),
        (Requirement.kpis.through, "kpi_id", _has_kpi, kpis),
        (Requirement.findings.through, "finding_id", _has_finding, findings),
    ]
    for through, column, wanted, targets in links:
        through.objects.bulk_create(
            [
                through(requirement_id=n, **{column: targets[n % len(targets)].pk})
                for n in range(1, REQUIREMENTS + 1)
                if wanted(n)
            ],
            batch_size=BATCH,
        )
    Transition.objects.bulk_create(
        [
            Transition(requirement=r, from_status="draft", to_status=r.status, by=owner, comment="bench")
            for r in requirements
            if r.status != "draft"
        ],
        batch_size=BATCH,
    )
    content_type = ContentType.objects.get_for_model(Requirement)
    SuspectFlag.objects.bulk_create(
        [
            SuspectFlag(
                project=project,
                upstream_id=r.parent_id,
                upstream_version=1,
                content_type=content_type,
                object_id=r.pk,
                reason="bench: parent changed",
            )
            for r in requirements
            if r.parent_id and r.parent_id % 50 == 0
        ],
        batch_size=BATCH,
    )
    full = next(
        n
        for n in range(REQUIREMENTS // 2, REQUIREMENTS)
        if _has_goal(n) and _has_kpi(n) and _has_finding(n) and _parent_of(n) and _edited(n)
    )
    return project, owner, format_key(full)


def _measure(client: Any, label: str, url: str) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    warm = client.get(url)
    assert warm.status_code == 200, (url, warm.status_code)
    times = []
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    p95 = statistics.quantiles(times, n=20)[18]
    print(
        f"requirements  {label:<22} median {statistics.median(times):6.1f} ms  p95 {p95:6.1f} ms  "
        f"{len(queries):3d} queries"
    )


def bench_requirements() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        _use_database(Path(tmp) / "bench-requirements.sqlite3")
        from django.core.management import call_command
        from django.test import Client
        from django.urls import reverse

        call_command("migrate", verbosity=0)
        began = time.perf_counter()
        project, owner, key = build()
        built = time.perf_counter() - began
        gc.collect()  # the build's garbage is not the pages' to pay for
        print(f"requirements  built {REQUIREMENTS} requirements with links and history in {built:.1f} s")
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(owner)
        code = {"project_code": project.code}
        page_list = reverse("requirements:requirement-list", kwargs=code)
        api_list = reverse("api-requirements:requirement-list", kwargs=code)
        filtered = "?layer=core&status=approved"
        pages = {
            "list (50 a page)": page_list,
            "list core+approved": page_list + filtered,
            f"detail {key}": reverse("requirements:requirement-detail", kwargs={**code, "key": key}),
            "API list": api_list,
            "API list core+approved": api_list + filtered,
            f"API detail {key}": reverse("api-requirements:requirement-detail", kwargs={**code, "key": key}),
        }
        for label, url in pages.items():
            _measure(client, label, url)
        from django.db import connections

        connections.close_all()


if __name__ == "__main__":
    bench_requirements()
