"""The requirement specification at scale: `.venv/bin/python -m bench specification`.

(a) The PDF of 1,000 requirements with Chinese statements, next to WeasyPrint's floor: the same text as a
    bare HTML document (headings and paragraphs, same fonts). Each render runs in its own subprocess, which
    reports its seconds and its peak RSS (ru_maxrss), so one render's memory does not hide the other's.
(b) The HTML publish (context + template) of the 5,000-requirement project of bench/requirements.py.
Both use throw-away SQLite files.
"""

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.requirements import ROOT, _use_database

PDF_REQUIREMENTS = 1000
ROUNDS = 5
STATEMENTS = [
    "采购员为供应商创建采购订单，包含商品、数量、价格和预计到货日期；订单审批后**自动**发送给供应商。",
    "仓库按未结采购订单登记到货（包括部分到货），收货审核后库存立即增加，差异自动生成退货单。",
    "门店、网店和总仓共用一本实时库存账，销售出库后一秒内各渠道可售数量同步减少。",
    "月末结账时系统自动核对进销存与总账的差额，差额超过阈值时提醒财务并列出明细单据。",
]
CRITERIA = "- 在测试环境用 500 笔订单验证，没有一笔差错\n- 手持终端离线时也能扫码收货"


def build_cjk(code: str = "SPEC") -> None:
    """A project with 1,000 requirements whose titles and statements are Chinese, a few linked to goals."""
    from django.contrib.auth import get_user_model
    from simple_history.utils import bulk_create_with_history

    from projects.services import goals as goal_services
    from projects.services import project_create
    from requirements.models import Requirement, RequirementSequence, format_key

    owner = get_user_model().objects.create_user("lead")
    project = project_create(
        creator=owner, code=code, name="基准：一千条需求的规格说明书", legacy_system="单机版进销存"
    )
    goals = [goal_services.goal_create(project=project, statement=f"目标 {i + 1}：库存准确率提升") for i in range(10)]
    layers, categories = Requirement.Layer.values, Requirement.Category.values
    priorities = ["must", "must", "should", "could", "wont"]
    requirements = [
        Requirement(
            project=project,
            number=n,
            key=format_key(n),
            title=f"需求 {n}：{['扫码收货', '实时库存', '批次追溯', '月末结账', '退货处理'][n % 5]}",
            statement=f"{STATEMENTS[n % len(STATEMENTS)]}（第 {n} 条）",
            acceptance_criteria=CRITERIA,
            layer=layers[n % len(layers)],
            category=categories[(n // 4) % len(categories)],
            priority=priorities[n % len(priorities)],
            status="approved",
        )
        for n in range(1, PDF_REQUIREMENTS + 1)
    ]
    bulk_create_with_history(requirements, Requirement, batch_size=500, default_user=owner)
    RequirementSequence.objects.create(project=project, last_number=PDF_REQUIREMENTS)
    through = Requirement.goals.through
    saved = list(project.requirements.values_list("pk", flat=True))
    through.objects.bulk_create([through(requirement_id=pk, goal_id=goals[pk % 10].pk) for pk in saved[::3]])


def floor_html(context: dict) -> str:
    """WeasyPrint's floor: every word of the specification (cover, contents, requirements, links, appendix),
    as bare headings and paragraphs in the same fonts, with no tables, boxes, chart or cross-references."""
    import lxml.html
    from django.utils.html import escape

    from requirements.specification import specification_html

    blocks = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "tr", "dt", "dd", "caption", "figcaption"}
    body = lxml.html.fromstring(specification_html(context, for_pdf=True)).find("body")
    parts = []
    for element in body.iter(*blocks):
        if any(ancestor.tag in blocks for ancestor in element.iterancestors()):
            continue  # its words are in the enclosing block already
        text = " ".join(" ".join(element.itertext()).split())
        if text:
            tag = element.tag if element.tag.startswith("h") and len(element.tag) == 2 else "p"
            parts.append(f"<{tag}>{escape(text)}</{tag}>")
    return (
        '<!DOCTYPE html><html lang="zh-hans"><head><meta charset="utf-8"><style>'
        f"html {{ font-family: {context['font_family']}; font-size: 10pt; }} @page {{ size: A4; margin: 20mm; }}"
        "</style></head><body>" + "".join(parts) + "</body></html>"
    )


def _child(kind: str, database: str, code: str) -> None:
    """In a subprocess: render one PDF and print its figures as JSON."""
    import resource

    _use_database(Path(database))
    from django.utils import translation

    from projects.models import Project
    from requirements.specification import specification_context, specification_pdf
    from workbench.pdf import html_to_pdf

    project = Project.objects.get(code=code)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with translation.override("zh-hans"):
        began = time.perf_counter()
        context = specification_context(project=project)
        data = specification_pdf(context) if kind == "spec" else html_to_pdf(floor_html(context))
        seconds = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    from io import BytesIO

    from pypdf import PdfReader

    pages = len(PdfReader(BytesIO(data)).pages)
    print(
        json.dumps(
            {
                "seconds": seconds,
                "peak_mb": peak / 1024,
                "delta_mb": (peak - before) / 1024,
                "pages": pages,
                "kib": len(data) // 1024,
            }
        )
    )


def _run_child(kind: str, database: Path, code: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "bench.specification", "_child", kind, str(database), code],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _seconds(runs: list[dict]) -> str:
    return ", ".join(f"{run['seconds']:.1f}" for run in runs)


def bench_pdf() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        database = Path(tmp) / "bench-spec.sqlite3"
        _use_database(database)
        from django.core.management import call_command
        from django.db import connections

        call_command("migrate", verbosity=0)
        build_cjk()
        connections.close_all()
        # Alternate the two renders and keep each one's best of ROUNDS: these shared 2-core machines
        # vary by a third from one run to the next, and the best run is the one least disturbed.
        floors, specs = [], []
        for _round in range(ROUNDS):
            floors.append(_run_child("floor", database, "SPEC"))
            specs.append(_run_child("spec", database, "SPEC"))
        floor = min(floors, key=lambda run: run["seconds"])
        spec = min(specs, key=lambda run: run["seconds"])
    print(
        f"spec     PDF of {PDF_REQUIREMENTS} requirements (Chinese), best of {ROUNDS}: {spec['seconds']:.1f} s "
        f"(runs {_seconds(specs)}), {spec['pages']} pages, "
        f"{spec['kib']} KiB, peak RSS {spec['peak_mb']:.0f} MB (+{spec['delta_mb']:.0f} MB while rendering)"
    )
    print(
        f"spec     WeasyPrint floor, same text as headings and paragraphs, best of {ROUNDS}: {floor['seconds']:.1f} s "
        f"(runs {_seconds(floors)}), "
        f"{floor['pages']} pages, peak RSS {floor['peak_mb']:.0f} MB (+{floor['delta_mb']:.0f} MB)"
    )
    ratio = spec["seconds"] / floor["seconds"]
    print(f"spec     ratio {ratio:.2f}x the floor (target <= 1.5x), peak {spec['peak_mb']:.0f} MB (target <= 1024 MB)")


def bench_html() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        _use_database(Path(tmp) / "bench-spec-html.sqlite3")
        from django.core.management import call_command
        from django.db import connection, connections
        from django.test.utils import CaptureQueriesContext
        from django.utils import translation

        from bench.requirements import REQUIREMENTS, build
        from requirements.specification import specification_context, specification_html

        call_command("migrate", verbosity=0)
        project, _owner, _key = build()
        times = []
        for _ in range(3):
            with translation.override("en"), CaptureQueriesContext(connection) as queries:
                began = time.perf_counter()
                html = specification_html(specification_context(project=project))
                times.append(time.perf_counter() - began)
        print(
            f"spec     HTML publish of {REQUIREMENTS} requirements: best {min(times):.2f} s of 3 "
            f"({len(html) // 1024} KiB, {len(queries)} queries; target <= 3 s)"
        )
        connections.close_all()


def bench_specification() -> None:
    bench_pdf()
    bench_html()


if __name__ == "__main__":
    if sys.argv[1:2] == ["_child"]:
        _child(*sys.argv[2:5])
    else:
        bench_specification()
