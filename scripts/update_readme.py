"""Refresh the README's example output from the real commands: `python scripts/update_readme.py`.

Each example is a fenced block that starts with `$ nervecli ...`, preceded by a comment that
says which lines of the real output it shows, e.g. `<!-- lines: 1-5, 40-52 -->`. Output is
taken at 100 columns with colour off; gaps between the chosen ranges are shown as `…`.
tests/test_readme.py checks that every shown line is still real.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCK = re.compile(
    r"<!-- lines: (?P<ranges>[0-9, -]+) -->\n```\n\$ nervecli (?P<cmd>.*?)\n.*?```", re.S
)


def _render(match: re.Match[str]) -> str:
    command = match["cmd"]
    env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "nervecli", *shlex.split(command)],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    lines = [line.rstrip() for line in (result.stdout + result.stderr).splitlines()]
    shown: list[str] = []
    for part in match["ranges"].split(","):
        first, _, last = part.strip().partition("-")
        if shown:
            shown.append("…")
        shown += lines[int(first) - 1 : int(last or first)]
    first, _, last = match["ranges"].split(",")[-1].strip().partition("-")
    if int(last or first) < len(lines):
        shown.append("…")
    body = "\n".join(shown)
    return f"<!-- lines: {match['ranges']} -->\n```\n$ nervecli {command}\n{body}\n```"


def main() -> None:
    text = README.read_text(encoding="utf-8")
    README.write_text(BLOCK.sub(_render, text), encoding="utf-8")


if __name__ == "__main__":
    main()
