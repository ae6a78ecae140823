"""Benchmark nervecli against the floor (bench/floor.py), interleaved, medians and ratios.

    python bench/run.py                      # the table of targets, bundled catalogue
    python bench/run.py --scale 10000 100000 # and the scale figures for generated catalogues
    python bench/run.py --runs 21 --markdown BENCHMARKS.md

Every command runs in a fresh process, in turn with the others (so a slow patch of the machine
hits all of them alike), each with its cache warm unless said otherwise; the figure is the
median wall time. Peak memory is each process's own maximum resident size (os.wait4).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
NERVECLI = shutil.which("nervecli", path=str(Path(sys.executable).parent)) or shutil.which(
    "nervecli"
)


@dataclass
class Case:
    name: str
    argv: list[str]
    target: float | None = None  # median / floor must be at or under this
    env: dict[str, str] = field(default_factory=dict)
    times: list[float] = field(default_factory=list)
    peaks: list[int] = field(default_factory=list)  # KiB

    def median(self) -> float:
        return statistics.median(self.times)


def run_once(case: Case, base_env: dict[str, str]) -> None:
    env = {**base_env, **case.env}
    start = time.perf_counter()
    proc = subprocess.Popen(case.argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read() if proc.stderr else b""
    if proc.returncode != 0:
        sys.exit(f"{case.name} failed ({proc.returncode}): {err.decode(errors='replace')[-500:]}")
    case.times.append(elapsed)
    case.peaks.append(usage.ru_maxrss)


def interleave(cases: list[Case], runs: int, env: dict[str, str], warmup: int = 2) -> None:
    for _ in range(warmup):  # fills the caches and the OS file cache
        for case in cases:
            run_once(case, env)
        for case in cases:
            case.times.clear()
            case.peaks.clear()
    for i in range(runs):
        order = cases if i % 2 == 0 else list(reversed(cases))
        for case in order:
            run_once(case, env)


def nervecli(*args: str) -> list[str]:
    if NERVECLI is None:
        sys.exit("nervecli is not installed in this environment (pip install .)")
    return [NERVECLI, *args]


def completion(words: str) -> dict[str, str]:
    return {
        "_NERVECLI_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - 1),
    }


def table_cases() -> list[Case]:
    return [
        Case("floor: one-row Typer + Rich app", [sys.executable, str(HERE / "floor.py")]),
        Case("nervecli show ketamine", nervecli("show", "ketamine"), 1.15),
        Case("nervecli list", nervecli("list"), 1.20),
        Case(
            "nervecli compare steroid nerve-block",
            nervecli("compare", "steroid", "nerve-block"),
            1.20,
        ),
        Case("nervecli search dizziness", nervecli("search", "dizziness"), 1.20),
        Case(
            "nervecli show ketamine --format json",
            nervecli("show", "ketamine", "--format", "json"),
            1.00,
        ),
        Case(
            "completion: nervecli show keta<Tab>",
            nervecli(),
            0.30,
            completion("nervecli show keta"),
        ),
        Case("nervecli list | head -20", head(nervecli("list"))),
        Case(
            "nervecli show ketamine --format html",
            nervecli("show", "ketamine", "--format", "html"),
            1.05,
        ),
    ]


def head(argv: list[str], lines: int = 20) -> list[str]:
    """A command piped into `head` (through sh, whose own start is a millisecond or two)."""
    import shlex

    return ["sh", "-c", f"{shlex.join(argv)} | head -{lines}"]


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    system = f"{platform.system()} {platform.release()}"
    return f"{cpu}, {os.cpu_count()} cores, {system}, Python {platform.python_version()}"


def report_table(cases: list[Case], runs: int) -> tuple[list[str], bool]:
    floor = cases[0].median()
    lines = [
        f"Bundled catalogue, {runs} interleaved runs each, median wall time; "
        "ratio = median / floor.",
        "",
        "| command | median (ms) | ratio to floor | target | peak memory (MB) | |",
        "|---|---:|---:|---:|---:|---|",
    ]
    ok = True
    for case in cases:
        ratio = case.median() / floor
        verdict = ""
        if case.target is not None:
            passed = ratio <= case.target
            ok &= passed
            verdict = "ok" if passed else "OVER TARGET"
        target = f"<= {case.target:.2f}" if case.target else ""
        name = case.name.replace("|", "\\|")  # a pipe inside a Markdown table cell
        lines.append(
            f"| `{name}` | {case.median() * 1000:.0f} | {ratio:.2f} | {target} "
            f"| {max(case.peaks) / 1024:.0f} | {verdict} |"
        )
    return lines, ok


def scale(n: int, runs: int, base_env: dict[str, str], bundled: dict[str, Case]) -> list[str]:
    sys.path.insert(0, str(HERE))
    from make_catalogue import write

    lines: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        catalogue = Path(folder) / "catalogue"
        write(n, catalogue)
        size = sum(p.stat().st_size for p in catalogue.rglob("*.yaml")) / 1e6
        env = {**base_env, "NERVECLI_CATALOG": str(catalogue), "NERVECLI_NO_BUNDLED": "1",
               "XDG_CACHE_HOME": str(Path(folder) / "cache")}  # fmt: skip
        first = Case(f"first run at {n}", nervecli("show", "treatment-0"))
        shutil.rmtree(Path(folder) / "cache", ignore_errors=True)
        run_once(first, env)  # cold: reads the YAML, validates, writes the cache
        show = Case(f"show at {n}", nervecli("show", "alias-7"))
        search = Case(f"search at {n}", nervecli("search", "dizziness"))
        listed = Case(f"list | head at {n}", head(nervecli("list")))
        tab = Case(f"completion at {n}", nervecli(), env=completion("nervecli show treatment-42"))
        html = Case(f"html at {n}", nervecli("show", "alias-7", "--format", "html"))
        cases = [show, search, listed, tab, html]
        interleave(cases, runs, env, warmup=1)
        peak = max(max(c.peaks) for c in (first, *cases)) / 1024

        def cell(case: Case, base: str) -> str:
            ratio = case.median() / bundled[base].median()
            return f"{case.median() * 1000:.0f} ({ratio:.2f}x)"

        lines += [
            f"| {n:,} | {size:.0f} | {first.times[0]:.2f} | {max(first.peaks) / 1024:.0f} "
            f"| {cell(show, 'show')} | {cell(search, 'search')} | {cell(listed, 'list | head')} "
            f"| {cell(tab, 'completion')} | {cell(html, 'html')} | {peak:.0f} |"
        ]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=15, help="interleaved runs per command (>= 15)")
    parser.add_argument(
        "--scale", type=int, nargs="*", default=[], help="catalogue sizes to generate"
    )
    parser.add_argument(
        "--scale-runs", type=int, help="interleaved runs at the generated sizes (default: --runs)"
    )
    parser.add_argument("--markdown", type=Path, help="also write the results to this file")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "XDG_CACHE_HOME": cache, "COLUMNS": "100", "NO_COLOR": "1"}
        env.pop("NERVECLI_CATALOG", None)
        cases = table_cases()
        interleave(cases, args.runs, env)
        lines, ok = report_table(cases, args.runs)
        if args.scale:
            bundled = {
                "show": cases[1],
                "search": cases[4],
                "completion": cases[6],
                "list | head": cases[7],
                "html": cases[8],
            }
            lines += [
                "",
                "Generated catalogues (bench/make_catalogue.py), "
                f"{args.scale_runs or args.runs} interleaved runs; "
                "ratios against the same command on the bundled catalogue.",
                "",
                "| treatments | YAML (MB) | first run (s) | first run peak (MB) | show, warm (ms) "
                "| search, warm (ms) | list \\| head -20 (ms) | completion (ms) | html (ms) "
                "| peak memory (MB) |",
                "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
            ]
            for n in args.scale:
                lines += scale(n, args.scale_runs or args.runs, env, bundled)
    header = [
        f"Machine: {machine()}",
        f"Date: {dt.date.today().isoformat()}; nervecli from {NERVECLI}",
        "",
    ]
    text = "\n".join(header + lines) + "\n"
    print(text)
    if args.markdown:
        args.markdown.write_text(text)
    if not ok:
        sys.exit("some commands are over their target")


if __name__ == "__main__":
    main()
