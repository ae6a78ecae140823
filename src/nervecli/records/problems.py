"""`validate` and `schema`, as data."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from nervecli.model.errors import Problem

if TYPE_CHECKING:
    from nervecli.facts.quotes import Coverage


def problems_record(problems: Sequence[Problem | str], summary: str) -> dict[str, Any]:
    return {
        "command": "validate",
        "ok": not problems,
        "summary": summary,
        "problems": [
            {"file": p.file, "line": p.line, "column": p.column, "message": p.message}
            if isinstance(p, Problem)
            else {"file": None, "line": None, "column": None, "message": str(p)}
            for p in problems
        ],
    }


def coverage_record(found: Sequence[Coverage], summary: str) -> dict[str, Any]:
    return {
        **problems_record([], summary),
        "coverage": [
            {
                "file": doc.file,
                "sentences": doc.total,
                "covered": doc.total - len(doc.uncovered),
                "percent": round(doc.percent, 1),
                "uncovered": doc.uncovered,
            }
            for doc in found
        ],
    }


def schema_record(schema: str) -> Any:
    return json.loads(schema)
