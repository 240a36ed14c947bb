"""Run every benchmark and write docs/PERFORMANCE.md.

    python -m bench [--runs N] [--only NAME ...] [--quick]

Each benchmark returns rows of (what, median seconds, baseline seconds or None, target text, extra).
Medians of several runs; baselines are measured in the same run on the same machine.
"""
from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "PERFORMANCE.md"
BENCHMARKS = ["bench.startup", "bench.search"]  # modules with run(ctx) -> list[Result]


class Ctx:
    def __init__(self, runs: int, quick: bool, workdir: Path):
        self.runs = runs
        self.quick = quick
        self.workdir = workdir

    def time_command(self, args: list[str], runs: int | None = None, env: dict | None = None) -> float:
        """Median wall time of a whole process, from outside (interpreter start included)."""
        times = []
        full_env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})}
        for _ in range(runs or self.runs):
            t0 = time.perf_counter()
            subprocess.run(args, cwd=ROOT, env=full_env, check=True, capture_output=True)
            times.append(time.perf_counter() - t0)
        return statistics.median(times)

    def time_call(self, fn, runs: int | None = None) -> float:
        times = []
        for _ in range(runs or self.runs):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
        return statistics.median(times)


def machine_lines() -> list[str]:
    import PySide6
    import reportlab
    import sqlalchemy

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return [
        f"- Date: {dt.date.today().isoformat()}",
        f"- Machine: {cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}, PySide6 {PySide6.__version__}, SQLAlchemy {sqlalchemy.__version__}, "
        f"ReportLab {reportlab.Version}",
    ]


def fmt(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    if seconds < 0.001:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1000:.1f} ms"
    return f"{seconds:.2f} s"


def keep_sections(text: str, headings: tuple[str, ...]) -> str:
    """Sections of the existing file that other tools write (e.g. '## Bundle'), kept as they are."""
    kept, current = [], None
    for line in text.splitlines():
        if line.startswith("## "):
            current = line if line.strip() in headings else None
        if current:
            kept.append(line)
    return "\n".join(kept)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", nargs="*")
    parser.add_argument("--quick", action="store_true", help="smaller data, fewer runs (a check that it works)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    sections: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        ctx = Ctx(2 if args.quick else args.runs, args.quick, Path(tmp))
        for name in BENCHMARKS:
            if args.only and name.split(".")[-1] not in args.only:
                continue
            module = importlib.import_module(name)
            print(f"== {name}", file=sys.stderr)
            sections.append(module.run(ctx))
    previous = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
    text = "\n".join([
        "# Performance",
        "",
        "Written by `python -m bench` (medians of several runs; each baseline measured in the same run).",
        "",
        *machine_lines(),
        "",
        *sections,
        keep_sections(previous, ("## Bundle",)),
    ])
    args.out.write_text(text.rstrip() + "\n", encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
