"""`validate` and `schema`: literal lines."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from nervecli.model.errors import Problem
from nervecli.output.document import Code, Document

if TYPE_CHECKING:
    from nervecli.facts.quotes import Coverage


def problems_doc(problems: Sequence[Problem | str], summary: str) -> Document:
    """`validate`: every problem, one per line as FILE:LINE:COLUMN: message."""
    lines = [str(p) for p in problems]
    doc = Document("", handout=False)  # only the lines, for people and for tools alike
    doc.blocks.append(Code("\n".join(lines) if lines else summary))
    return doc


def schema_doc(schema: str) -> Document:
    doc = Document("", handout=False)
    doc.blocks.append(Code(schema.rstrip("\n")))
    return doc


def coverage_doc(found: Sequence[Coverage], summary: str) -> Document:
    """`validate --coverage`: per document, the sentences no quote covers and the share that
    are; the summary last."""
    lines = []
    for doc in found:
        covered = doc.total - len(doc.uncovered)
        lines.append(f"{doc.file}: {covered} of {doc.total} sentences covered ({doc.percent:.0f}%)")
        lines += [f"  not covered: {sentence}" for sentence in doc.uncovered]
    lines.append(summary)
    out = Document("", handout=False)
    out.blocks.append(Code("\n".join(lines)))
    return out
