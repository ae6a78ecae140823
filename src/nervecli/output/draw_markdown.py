"""The Markdown drawer: a document as a handout, for a Markdown viewer or converter.

Sources are cited by number in brackets, with the numbered sources at the end (footnote syntax
would give one source a backlink for every fact it supports). Catalogue text is escaped so that
it prints literally; a grid is a table, and a grid row that spans every option (what they
share, led by "Both:" or "All four:") is printed in every option's column.
"""

from __future__ import annotations

import re

from nervecli.output import words as w
from nervecli.output.document import (
    Bullets,
    Code,
    Document,
    Grid,
    Heading,
    Item,
    NotesSpace,
    Para,
    Style,
    assert_never,
    complete,
)
from nervecli.output.draw_table import icon_lines
from nervecli.output.text import visible

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|!~])")


_LIST_MARKER = re.compile(r"^(\d{1,9})([.)])(?=\s|$)|^([-+])")


def esc(text: str) -> str:
    """Text as literal Markdown: special characters escaped, on one line; `&` as `&amp;`, so an
    entity (`&rlm;`, `&lt;b&gt;`) prints as written; and a leading list marker ("1. Take it
    with food", "+ an item") escaped, so that text never becomes a list."""
    flat = _SPECIAL.sub(r"\\\1", " ".join(visible(text).split())).replace("&", "&amp;")
    return _LIST_MARKER.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", flat)


def item_md(item: Item) -> str:
    text = item.text
    if item.marks and visible(text) == text:
        parts, last = [], 0
        for start, end in item.marks:
            parts += [esc(text[last:start]), f"**{esc(text[start:end])}**"]
            last = end
        body = " ".join(p for p in (*parts, esc(text[last:])) if p)
    else:
        body = esc(text)
    if item.style in (Style.STRONG, Style.LABEL):
        body = f"**{body}**"
    elif item.style is Style.DIM:
        body = f"*{body}*"
    if item.icons is not None:
        body = f"{'<br>'.join(icon_lines(item.icons, 54))}<br>{body}"
    numbers = ",".join(map(str, item.notes))
    if numbers:
        flag = f", *{w.PROMOTIONAL}*" if item.promotional else ""
        body += f" \\[{numbers}{flag}\\]"
    elif item.promotional:
        body += f" *({w.PROMOTIONAL})*"
    return body


def _with_quote(item: Item, quotes: bool, inline: bool) -> str:
    body = item_md(item)
    if quotes and item.quote:
        quote = f"“{esc(item.quote)}”"
        body += f"<br>*{quote}*" if inline else f"  \n  *{quote}*"
    return body


def draw(doc: Document) -> str:
    doc = complete(doc)
    lines = [f"# {esc(doc.title)}", ""]
    if doc.subtitle:
        lines += [f"*{esc(doc.subtitle)}*", ""]
    for block in doc.blocks:
        if isinstance(block, Heading):
            lines += [f"{'#' * min(6, block.level + 1)} {esc(block.text)}", ""]
        elif isinstance(block, Para):
            if all(i.style is Style.HINT for i in block.items):
                continue  # a command line: for the terminal, not for paper
            lines += [" ".join(_with_quote(i, doc.quotes, True) for i in block.items), ""]
        elif isinstance(block, Bullets):
            if block.label:
                lines += [f"*{esc(block.label)}*", ""]
            lines += [f"- {_with_quote(i, doc.quotes, False)}" for i in block.items]
            lines.append("")
        elif isinstance(block, Grid):
            lines += _table(block, doc.quotes)
        elif isinstance(block, Code):
            fence = "~~~~" if "```" in block.text else "```"
            lines += [fence, visible(block.text, lines=True), fence, ""]
        elif isinstance(block, NotesSpace):
            pass  # drawn after the silences, below
        else:
            assert_never(block)
    if doc.silent:
        lines += [f"*{esc(w.silent_line(doc.silent))}*", ""]
    for block in doc.blocks:
        if isinstance(block, NotesSpace) and doc.handout:
            lines += ["## Your notes and questions", ""]
            lines += ["___", ""] * block.lines
    if doc.footnotes:
        lines += ["## Sources", ""]
        lines += [f"- \\[{n.number}\\] {esc(n.text)}" for n in doc.footnotes]
        lines.append("")
    if doc.about:
        lines += [f"## {w.ABOUT_GUIDE}", ""]
        if doc.made:
            lines += [f"- Made on {doc.made}."]
        lines += [f"- {esc(line)}" for line in doc.about]
        lines.append("")
    if doc.colophon:
        lines += [" ".join(f"*{esc(line)}*" for line in doc.colophon), ""]
    if doc.footer:
        lines += ["---", "", " ".join(f"*{esc(line)}*" for line in doc.footer), ""]
    return "\n".join(lines)


def _table(grid: Grid, quotes: bool) -> list[str]:
    labelled = grid.label_header is not None
    headers = ([esc(grid.label_header or "")] if labelled else []) + [esc(h) for h in grid.headers]
    rows = []
    for row in grid.rows:
        cells = ["<br>".join(_with_quote(i, quotes, True) for i in cell) for cell in row.cells]
        if len(row.cells) == 1 and len(grid.headers) > 1:
            # Markdown cannot span columns: what the options share is said in every column,
            # so that it never reads as the first option's alone.
            cells = cells * len(grid.headers)
        if labelled:
            cells.insert(0, f"**{esc(row.label)}**" if row.label else "")
        rows.append(cells)

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(cells) + " |"

    return [line(headers), line(["---"] * len(headers)), *(line(r) for r in rows), ""]
