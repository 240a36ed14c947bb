"""What the synthetic data is, and how long it took to make (setup, not measured)."""
from __future__ import annotations


def run(ctx) -> str:
    from bench.__main__ import fmt

    lines = [
        "## Synthetic data",
        "",
        "Made by bench/synth.py and bench/committee.py, deterministic (same seed, same databases, member uids "
        "and signing keys included). A branch's register: members admitted over the decades and each year, "
        "with transfers in and out, exemption, discipline, maternity and sick leave, suspension and deaths at "
        "yearly rates a real branch sees; the size is the number in the branch at the end of the period (the "
        "register also holds those who left). \"full\" records: for every year, the demo's own steps for "
        "meetings with attendance and minutes, monthly ratings and dues (services.demo.DEMO_STEPS), then the "
        "year-end review of every member within the rules and the quota (about one in seven HTXSNV) and the "
        "branch's self-assessment. \"review\": the register and the year-end review only. \"register\": the "
        "register only.",
        "",
    ]
    if ctx.setup_seconds:
        lines += ["| data made in this run | time |", "|---|---|"]
        lines += [f"| {what} | {fmt(seconds)} |" for what, seconds in ctx.setup_seconds.items()]
        lines.append("")
    return "\n".join(lines)
