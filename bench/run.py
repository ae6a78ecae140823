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


# Issue 21's targets at the generated sizes: ratios to the same command on the bundled catalogue
# (first run: seconds, or its ratio to PyYAML's own load of the same files; peak: MB).
SCALE_TARGETS: dict[int, dict[str, float]] = {
    10_000: {"first run": 3.5, "first/pyyaml": 0.8, "list | head": 1.5},
    100_000: {
        "first run": 30.0,
        "first/pyyaml": 0.8,
        "first peak": 400,
        "list | head": 2.0,
        "completion": 1.2,
        "search": 1.5,
    },
}


TAB_RUNS = 31  # rounds of the Tab and its twin at each generated size


@dataclass
class Scale:
    n: int
    size: float
    first: Case
    pyyaml: Case
    cases: dict[str, Case]
    twins: dict[str, Case]  # the same commands on the bundled catalogue, in the same run


def scale(
    n: int, runs: int, first_runs: int, base_env: dict[str, str], bundled: dict[str, Case]
) -> Scale:
    sys.path.insert(0, str(HERE))
    from make_catalogue import write

    with tempfile.TemporaryDirectory() as folder:
        catalogue = Path(folder) / "catalogue"
        write(n, catalogue)
        size = sum(p.stat().st_size for p in catalogue.rglob("*.yaml")) / 1e6
        cache = Path(folder) / "cache"
        env = {**base_env, "NERVECLI_CATALOG": str(catalogue), "NERVECLI_NO_BUNDLED": "1",
               "XDG_CACHE_HOME": str(cache)}  # fmt: skip
        first = Case(f"first run at {n}", nervecli("show", "treatment-0"))
        pyyaml = Case(
            f"PyYAML load at {n}", [sys.executable, str(HERE / "pyyaml_load.py"), str(catalogue)]
        )
        for i in range(first_runs):  # cold: read the YAML, validate, write the cache
            for case in (first, pyyaml) if i % 2 == 0 else (pyyaml, first):
                if case is first:
                    shutil.rmtree(cache, ignore_errors=True)
                run_once(case, env)
        at = env  # the generated catalogue, with its own cache
        cases = {
            "show": Case(f"show at {n}", nervecli("show", "alias-7"), env=at),
            "search": Case(f"search at {n}", nervecli("search", "dizziness"), env=at),
            "list | head": Case(f"list | head at {n}", head(nervecli("list")), env=at),
            "completion": Case(
                f"completion at {n}",
                nervecli(),
                env={**at, **completion("nervecli show treatment-42")},
            ),
            "html": Case(f"html at {n}", nervecli("show", "alias-7", "--format", "html"), env=at),
        }
        # The same commands on the bundled catalogue, interleaved with these, so that each ratio
        # comes from one interleaved run (the machine's load moves between the two tables).
        twins = {k: Case(f"{bundled[k].name} (bundled)", bundled[k].argv, env=bundled[k].env)
                 for k in cases}  # fmt: skip
        interleave([*cases.values(), *twins.values()], runs, base_env, warmup=1)
        # A Tab is some 50 ms, and a few milliseconds of noise move its ratio by 0.1: it and
        # its twin get more rounds, added to the ones above (still interleaved, pair by pair).
        tab = [cases["completion"], twins["completion"]]
        interleave(tab, max(0, TAB_RUNS - runs), base_env, warmup=0)
    return Scale(n, size, first, pyyaml, cases, twins)


def report_scale(scales: list[Scale]) -> tuple[list[str], list[str]]:
    """The table of the generated catalogues, and the verdicts against SCALE_TARGETS."""
    rows, verdicts = [], []
    for s in scales:
        peak = max(max(c.peaks) for c in (s.first, *s.cases.values())) / 1024
        ratios = {k: c.median() / s.twins[k].median() for k, c in s.cases.items()}
        first, pyyaml = s.first.median(), s.pyyaml.median()
        cells = " | ".join(
            f"{c.median() * 1000:.0f} ({ratios[k]:.2f}x)" for k, c in s.cases.items()
        )
        rows.append(
            f"| {s.n:,} | {s.size:.0f} | {first:.2f} | {pyyaml:.2f} ({first / pyyaml:.2f}x) "
            f"| {max(s.first.peaks) / 1024:.0f} | {cells} | {peak:.0f} |"
        )
        measured = {
            **ratios,
            "first run": first,
            "first/pyyaml": first / pyyaml,
            "first peak": max(s.first.peaks) / 1024,
        }
        for what, target in SCALE_TARGETS.get(s.n, {}).items():
            unit = {"first run": " s", "first peak": " MB"}.get(what, "x")
            value = f"{measured[what]:.2f}" if unit != " MB" else f"{measured[what]:.0f}"
            verdict = "ok" if measured[what] <= target else "**over**"
            label = what.replace("|", "\\|")
            verdicts.append(
                f"| {s.n:,}: {label} | <= {target:g}{unit} | {value}{unit} | {verdict} |"
            )
    return rows, verdicts


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
    parser.add_argument(
        "--first-runs", type=int, default=1, help="first runs (empty cache) at each size"
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
            scales = [
                scale(n, args.scale_runs or args.runs, args.first_runs, env, bundled)
                for n in args.scale
            ]
            rows, verdicts = report_scale(scales)
            lines += [
                "",
                "Generated catalogues (bench/make_catalogue.py), "
                f"{args.scale_runs or args.runs} interleaved runs ({args.first_runs} of the first "
                "run, interleaved with PyYAML's own load of the same files); ratios against the "
                "same command on the bundled catalogue, interleaved with them; the completion "
                f"and its twin {max(TAB_RUNS, args.scale_runs or args.runs)} runs each.",
                "",
                "| treatments | YAML (MB) | first run (s) | PyYAML load (s) | first run peak (MB) "
                "| show, warm (ms) | search, warm (ms) | list \\| head -20 (ms) "
                "| completion (ms) | html (ms) | peak memory (MB) |",
                "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
                *rows,
                "",
                "| issue 21 target | target | measured | |",
                "|---|---:|---:|---|",
                *verdicts,
            ]
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
