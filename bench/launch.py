"""Run one command; print its wall time and peak memory as JSON.

    python -S -m bench.launch CMD ARG...

Peak memory is read from wait4's ru_maxrss. Linux carries a process's peak over fork and exec, so a
child of the (large) benchmark process would report at least the benchmark's own size; this small
launcher (standard library only, no site packages) is the parent instead, and its own few MiB are
below anything measured. The time is taken here, around the child's life only; a child that prints a line
"shown-at EPOCH" (time.time() when its window is shown) also gets "shown": the time from its launch to then,
without what it does after (finishing background work, tearing down).
"""
import json
import os
import subprocess
import sys
import tempfile
import time


def main(args: list[str]) -> int:
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.time()
        t0 = time.perf_counter()
        proc = subprocess.Popen(args, stdout=out, stderr=err)
        _pid, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        tail = err.read()[-2000:].decode(errors="replace")
        out.seek(0)
        marks = [line.split()[1] for line in out.read().decode(errors="replace").splitlines()
                 if line.startswith("shown-at ")]
    result = {"seconds": seconds, "peak_kb": usage.ru_maxrss, "code": proc.returncode, "stderr": tail}
    if marks:
        result["shown"] = float(marks[0]) - started
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
