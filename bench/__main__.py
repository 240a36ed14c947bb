"""Run every benchmark and write docs/PERFORMANCE.md.

    python -m bench [--runs N] [--only NAME ...] [--quick] [--out FILE] [--data DIR]

Each module in BENCHMARKS has `run(ctx) -> str`, the Markdown of its section. Medians of several runs;
baselines are measured in the same run on the same machine. The synthetic data is made at the start
of the run (deterministic, see bench/synth.py); `--data DIR` keeps it in DIR and reuses it next time
(delete DIR after changing the generators). `--only` rewrites only the named sections of the file.
"""
from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
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
# Sections written by hand or by other tools, kept as they are when the file is rewritten.
KEPT = ("## Speed fixes", "## Bundle")
BENCHMARKS = [
    "bench.startup", "bench.search", "bench.importing", "bench.tally", "bench.printing", "bench.aggregate",
    "bench.scale",
    "bench.setup",
]


class Ctx:
    def __init__(self, runs: int, quick: bool, workdir: Path, keep: bool = False):
        self.runs = runs
        self.quick = quick
        self.workdir = workdir
        self.keep = keep               # --data: the data stays in workdir for the next run
        self.cache: dict = {}          # data shared by several benchmarks (made once per run)
        self.setup_seconds: dict[str, float] = {}

    def reuse(self, path: Path) -> bool:
        """Whether `path` was made by an earlier run with --data (and finished)."""
        return self.keep and Path(str(path) + ".done").exists()

    def made(self, path: Path, what: str, seconds: float) -> None:
        self.setup_seconds[what] = seconds
        print(f"   made {path.name} in {seconds:.1f} s", file=sys.stderr)
        if self.keep:
            Path(str(path) + ".done").write_text(f"{seconds:.3f}\n")

    def time_command(self, args: list[str], runs: int | None = None, env: dict | None = None) -> float:
        """Median wall time of a whole process, from outside (interpreter start included)."""
        return self.time_process(args, runs, env)[0]

    def time_process(self, args: list[str], runs: int | None = None, env: dict | None = None,
                     cwd: Path | None = None, until_shown: bool = False) -> tuple[float, int, list[float]]:
        """(median wall time, peak resident memory in KiB, every time) of a whole process run `runs` times,
        from launch to exit (bench/launch.py measures both from a small parent process). `until_shown`: from
        launch to the moment the process says its window is shown ("shown-at", see bench/launch.py)."""
        times, peaks = [], []
        full_env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})}
        for _ in range(runs or self.runs):
            out = subprocess.run([sys.executable, "-S", "-m", "bench.launch", *map(str, args)], cwd=cwd or ROOT,
                                 env={**full_env, "PYTHONPATH": str(ROOT)}, check=True, capture_output=True, text=True)
            result = json.loads(out.stdout.strip().splitlines()[-1])
            if result["code"] != 0:
                raise RuntimeError(f"{args} failed ({result['code']}): {result['stderr']}")
            if until_shown and "shown" not in result:
                raise RuntimeError(f"{args} did not say when its window was shown")
            times.append(result["shown"] if until_shown else result["seconds"])
            peaks.append(result["peak_kb"])
        return statistics.median(times), max(peaks), times

    def time_call(self, fn, runs: int | None = None) -> float:
        times = []
        for _ in range(runs or self.runs):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
        return statistics.median(times)

    def measure(self, job: str, *args) -> dict:
        """Run a job of bench.measure in a fresh process; its JSON result."""
        out = subprocess.run([sys.executable, "-m", "bench.measure", job, *map(str, args)], cwd=ROOT,
                             check=True, capture_output=True, text=True)
        return json.loads(out.stdout.strip().splitlines()[-1])

    def branch_db(self, members: int, years: int, records: str = "full", seed: int = 1) -> Path:
        """A synthetic branch database (bench.synth), made once per run and shared by the benchmarks."""
        key = ("branch", members, years, records, seed)
        if key not in self.cache:
            from .synth import make_branch_db

            path = self.workdir / f"branch-{members}-{years}y-{records}-{seed}.db"
            self.cache[key] = path
            if self.reuse(path):
                return path
            t0 = time.perf_counter()
            make_branch_db(path, members=members, years=years, seed=seed, records=records)
            self.made(path, f"{fmt_int(members)} members, {years} years, records: {records}", time.perf_counter() - t0)
        return self.cache[key]


class Load:
    """The machine's load while a section ran: the machine is shared (other engineers run their tests on
    it), and a figure measured while other processes took the cores is slower than the code is."""

    def __init__(self) -> None:
        self.samples = [os.getloadavg()[0]]
        self.cpu0 = self._busy()

    @staticmethod
    def _busy() -> tuple[float, float] | None:
        """(busy, total) CPU time of the whole machine so far (/proc/stat), or None."""
        try:
            fields = [float(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
        except (OSError, ValueError, IndexError):
            return None
        idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
        return sum(fields) - idle, sum(fields)

    def note(self) -> str:
        self.samples.append(os.getloadavg()[0])
        cpu1 = self._busy()
        busy = ""
        if self.cpu0 and cpu1 and cpu1[1] > self.cpu0[1]:
            share = (cpu1[0] - self.cpu0[0]) / (cpu1[1] - self.cpu0[1])
            busy = f", the cores busy {share:.0%} of the time (this benchmark's own work included)"
        return (f"Machine load while this section ran: load average {self.samples[0]:.1f} at the start and "
                f"{self.samples[-1]:.1f} at the end on {os.cpu_count()} cores{busy}.")


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


def _previous_machine_lines(text: str) -> list[str]:
    """With --only, the other sections keep the date and machine they were measured on (a section that
    may run elsewhere says its own, as bench/scale.py does)."""
    lines = [line for line in text.split("\n## ", 1)[0].splitlines() if line.startswith("- ")]
    return lines or machine_lines()


def fmt_mem(kib: int | None) -> str:
    return "–" if kib is None else f"{kib / 1024:.0f} MiB"


def fmt_int(n: int) -> str:
    """1234567 -> 1,234,567 (this file is in English: decimal point, comma for thousands)."""
    return f"{n:,}"


def fmt(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    if seconds < 0.001:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1000:.1f} ms"
    return f"{seconds:.2f} s"


def sections_of(text: str) -> list[tuple[str, str]]:
    """(heading line, whole text) of each "## " section of a Markdown file."""
    out: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        if line.startswith("## "):
            out.append((line.strip(), []))
        if out:
            out[-1][1].append(line)
    return [(h, "\n".join(lines)) for h, lines in out]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", nargs="*", help="names of benchmarks: " + ", ".join(
        b.split(".")[-1] for b in BENCHMARKS))
    parser.add_argument("--quick", action="store_true", help="smaller data, fewer runs (a check that it works)")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--data", type=Path, help="keep the synthetic data in this folder and reuse it")
    parser.add_argument("--pg", metavar="URL", help="also measure the scale benchmark on this PostgreSQL server "
                        "(a user that may create databases; no password in the URL)")
    args = parser.parse_args(argv)
    sections: list[str] = []
    t_start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = args.data or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        ctx = Ctx(2 if args.quick else args.runs, args.quick, workdir, keep=args.data is not None)
        ctx.pg = args.pg  # type: ignore[attr-defined]
        for name in BENCHMARKS:
            if args.only and name.split(".")[-1] not in args.only:
                continue
            module = importlib.import_module(name)
            print(f"== {name}", file=sys.stderr)
            t0 = time.perf_counter()
            load = Load()
            text = module.run(ctx)
            sections.append(text if name == "bench.setup" else text.rstrip() + "\n\n" + load.note() + "\n")
            print(f"   {name} took {time.perf_counter() - t0:.0f} s; {load.note()}", file=sys.stderr)
    previous = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
    if args.only:   # the named sections are replaced where they were; the others stay as they were
        new = dict(section for text in sections for section in sections_of(text))
        body = [new.pop(h, t) for h, t in sections_of(previous)]
        first_kept = next((i for i, t in enumerate(body) if t.splitlines()[0].strip() in KEPT), len(body))
        body[first_kept:first_kept] = list(new.values())
    else:
        body = sections + [t for h, t in sections_of(previous) if h in KEPT]
    body = [t.rstrip() + "\n" for t in body]   # one blank line after every section
    text = "\n".join([
        "# Performance",
        "",
        "Written by `python -m bench` (medians of several runs; each baseline measured in the same run). "
        "Sections: start-up, search as you type, importing a member list, the year-end tally, printing the year-end "
        "forms, aggregating branch files, a committee of 1,000 files on SQLite and PostgreSQL, the synthetic data; "
        "then the speed fixes made, and the installer's bundle. "
        "The machine is shared with other engineers' test runs: each section ends with the load while it ran.",
        "",
        *(_previous_machine_lines(previous) if args.only else machine_lines()),
        "",
        *body,
    ])
    args.out.write_text(text.rstrip() + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({time.perf_counter() - t_start:.0f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
