"""`check`: what the sources raise for one person."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nervecli.model.catalogue import Catalogue
from nervecli.output import words as w
from nervecli.output.document import Document, Grid, Item, Row, Style

if TYPE_CHECKING:  # each command imports the domain module it uses, no more
    from nervecli.domain.screening import Finding, Screen


from nervecli.present.common import Citer, dim, finish, line_words, said_of, unknown_words


def check_doc(catalogue: Catalogue, result: Screen) -> Document:
    """What the sources raise for this person first, one row each; then one sentence for the
    treatments they say nothing about for this person, so that silence never reads as clear."""
    citer = Citer(catalogue)
    doc = Document("Personal check")
    said = [t.name for t in result.terms] + [c.name.lower() for c in result.conditions]
    given = said + [unknown_words(u.given) for u in result.unknown]
    doc.para(Item("Your profile: " + ", ".join(given)))
    for u in result.unknown:
        names = ", ".join(u.known) if u.known else "none"
        close = f" Did you mean {' or '.join(u.suggestions)}?" if u.suggestions else ""
        doc.para(
            Item(
                f"The sources say nothing about {unknown_words(u.given)}. The names they use "
                f"for --{u.asks}: {names}"
                + (", or a condition they describe." if u.asks == "has" else ".")
                + close,
                style=Style.STRONG,
            )
        )
    if result.unmatched:
        names = ", ".join(c.name.lower() for c in result.unmatched)
        doc.para(dim(f"No source names a caution for: {names}."))
    rows = []
    against = False
    silent: list[Finding] = []
    for f in result.findings:
        if f.level == "nothing":
            silent.append(f)
            continue
        reasons = []
        for r in f.reasons:
            if r.ref is not None:
                text = w.plain(r.ref.fact.text)
                label = said_of(r.ref, f.treatment)
                if label is not None:
                    text = f"{label}: {text}"
                reasons.append(citer.item([r.ref.fact], f"{text} (for: {', '.join(r.terms)})"))
            elif r.record is not None:
                against = True
                reasons.append(
                    citer.item([r.record.recommendation], f"{w.capital(w.grade(r.record))}.")
                )
        line = (
            () if f.level == "against" else (dim(line_words(f.treatment, f.evidence, f.members)),)
        )
        rows.append(
            Row(
                (
                    (Item(f.treatment.name, style=Style.STRONG), *line),
                    (Item(w.LEVELS[f.level]),),
                    tuple(reasons) or (dim("—"),),
                )
            )
        )
    if rows:
        doc.blocks.append(Grid(("Treatment", "What the sources say", "Why"), tuple(rows)))
    if silent:
        about = " or ".join(given)
        these = "this one" if len(silent) == 1 else f"these {len(silent)}"
        doc.para(
            Item(
                f"For {these} the sources say nothing about {about}: ask your doctor about "
                "each. Silence is not a sign that a treatment is safe for you.",
                style=Style.STRONG,
            )
        )
        doc.para(
            Item(
                "; ".join(
                    f"{f.treatment.name}: {line_words(f.treatment, f.evidence, f.members)}"
                    for f in silent
                )
                + "."
            )
        )
    if against:
        doc.para(Item(w.DO_NOT_STOP, style=Style.STRONG))
    return finish(doc, citer)
