"""Profiling a 500,000-row stock extract in one streaming pass, in seconds and peak memory.

`.venv/bin/python -m bench profiling`. A product extract of 50,000 SKUs and a stock-by-batch extract of 500,000 rows
(SKU like 10-2031-0042, Chinese product name, warehouse, batch, quantity, unit price; with blanks, malformed SKUs,
SKUs missing from the product extract, unknown warehouses, quantities out of range or not numbers and repeated
warehouse/SKU/batch keys) are written to a temporary folder. A child process then reads the product keys
(`extract_keys`) and profiles the stock extract against six checks (`profile_extract`), so its peak RSS is the
profiler's alone, not the generator's. The target: under 60 s and under 500 MB.
"""

import csv
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROWS = 500_000
PRODUCTS = 50_000
WAREHOUSES = [f"WH{n:02d}" for n in range(1, 13)]
TARGET_SECONDS = 60
TARGET_MB = 500
SKU_PATTERN = r"\d{2}-\d{4}-\d{4}"
NAMES = ["螺丝刀", "扳手", "电钻", "卷尺", "手套", "胶带", "插座", "灯泡", "油漆", "水管", "电线", "锁具"]
SIZES = ["小号", "中号", "大号", "加长", "标准", "专业版"]


def sku(n: int) -> str:
    return f"{10 + n % 80:02d}-{n // 80 % 10000:04d}-{n % 9973:04d}"


def generate(folder: Path, rows: int = ROWS, products: int = PRODUCTS) -> tuple[Path, Path]:
    """Write products.csv and stock.csv; returns their paths."""
    rng = random.Random(9)
    skus = [sku(n) for n in range(products)]
    product_path = folder / "products.csv"
    with product_path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["sku", "name", "unit"])
        for n, code in enumerate(skus):
            writer.writerow([code, f"{NAMES[n % len(NAMES)]}{SIZES[n % len(SIZES)]}{n}", "个"])

    stock_path = folder / "stock.csv"
    with stock_path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["sku", "name", "warehouse", "batch", "quantity", "unit_price"])
        written: list[list[str]] = []
        for n in range(rows):
            roll = rng.random()
            if written and roll < 0.005:  # the same warehouse/SKU/batch again
                row = list(rng.choice(written[-5000:]))
                writer.writerow(row)
                continue
            p = rng.randrange(products)
            code = skus[p]
            if roll < 0.008:
                code = code.replace("-", "")  # malformed
            elif roll < 0.010:
                code = sku(products + rng.randrange(1000))  # well-formed but not in the product extract
            row = [
                code,
                "" if roll > 0.995 else f"{NAMES[p % len(NAMES)]}{SIZES[p % len(SIZES)]}{p}",
                "WH99" if 0.010 <= roll < 0.011 else WAREHOUSES[n % len(WAREHOUSES)],
                "" if 0.02 <= roll < 0.04 else f"B{2024 + n % 3}{n % 12 + 1:02d}-{n:06d}",
                "N/A" if 0.04 <= roll < 0.0405 else str(rng.randrange(-5, 20000)),
                "" if 0.05 <= roll < 0.06 else f"{rng.randrange(50, 500000) / 100:.2f}",
            ]
            writer.writerow(row)
            if n % 100 == 0:
                written.append(row)
    return product_path, stock_path


def child(product_path: str, stock_path: str) -> None:
    """Runs in the child process: read the product keys, profile the stock extract, print JSON figures."""
    import os
    from decimal import Decimal

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")
    import django

    django.setup()  # the progress messages are translated
    from projects.profiling import Check, extract_keys, profile_extract

    baseline_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    began = time.perf_counter()
    with open(product_path, "rb") as stream:
        products = extract_keys(stream, filename="products.csv", column="sku")
    keys_read = time.perf_counter()
    checks = [
        Check(column="sku", kind="required", label="SKU given", id=1),
        Check(column="sku", kind="pattern", pattern=SKU_PATTERN, label="SKU format", id=2),
        Check(column="sku", kind="reference", reference="products", label="SKU in products", id=3),
        Check(column="warehouse", kind="allowed", allowed=tuple(WAREHOUSES), label="Known warehouse", id=4),
        Check(column="quantity", kind="range", minimum=Decimal(0), maximum=Decimal(100000), label="Quantity", id=5),
        Check(column="unit_price", kind="range", minimum=Decimal(0), label="Unit price", id=6),
        Check(column="batch", kind="required", label="Batch given", id=7),
    ]
    reports: list[int] = []
    with open(stock_path, "rb") as stream:
        profile = profile_extract(
            stream,
            filename="stock.csv",
            key_columns=("warehouse", "sku", "batch"),
            checks=checks,
            references={"products": products},
            report=lambda percent, message: reports.append(percent),
        )
    done = time.perf_counter()
    print(
        json.dumps(
            {
                "keys_seconds": keys_read - began,
                "profile_seconds": done - keys_read,
                "baseline_kb": baseline_kb,
                "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                "reports": len(reports),
                "profile": profile.to_dict(),
            }
        )
    )


def bench_profiling(rows: int = ROWS) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        product_path, stock_path = generate(Path(tmp), rows=rows)
        generated = time.perf_counter() - started
        size_mb = stock_path.stat().st_size / 2**20
        completed = subprocess.run(
            [sys.executable, "-c", "import sys; from bench.profiling import child; child(*sys.argv[1:])"]
            + [str(product_path), str(stock_path)],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
    figures = json.loads(completed.stdout.strip().splitlines()[-1])
    children_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    profile = figures["profile"]
    seconds = figures["keys_seconds"] + figures["profile_seconds"]
    peak_mb = figures["peak_kb"] / 1024
    print(f"profile  generated {rows:,} stock rows ({size_mb:.0f} MB CSV) + {PRODUCTS:,} products in {generated:.1f} s")
    print(
        f"profile  {profile['rows']:,} rows profiled in {figures['profile_seconds']:.1f} s "
        f"(+ product keys {figures['keys_seconds']:.1f} s), peak RSS {peak_mb:.0f} MB "
        f"(interpreter with Django {figures['baseline_kb'] / 1024:.0f} MB; children max {children_mb:.0f} MB), "
        f"{figures['reports']} progress reports; target < {TARGET_SECONDS} s and < {TARGET_MB} MB: "
        f"{'met' if seconds < TARGET_SECONDS and peak_mb < TARGET_MB else 'MISSED'}"
    )
    print(
        f"profile  scores: completeness {profile['completeness_score']}, accuracy {profile['accuracy_score']}, "
        f"uniqueness {profile['uniqueness_score']}; duplicate keys {profile['duplicate_keys']:,}"
    )
    for check in profile["checks"]:
        print(f"profile    {check['label']:<16} {check['failures']:>7,} failures ({check['failure_rate']} %)")


if __name__ == "__main__":
    bench_profiling()
