"""The one place that makes text from outside safe to show: catalogue text, file names,
typed names, profile values. Control characters (ANSI escapes, NUL, BEL, C1) and the
bidirectional formatting characters that can reorder what is displayed ("1\u202e05\u202c mg"
shown as "150 mg") are made visible as <U+XXXX>; line breaks become spaces where a line is
expected. Every drawer passes every string through `visible`, and so do error messages."""

from __future__ import annotations

import re

_HIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def _show(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte that is not UTF-8, in a file name or an argument
        return f"\\x{code - 0xDC00:02X}"
    return f"<U+{code:04X}>"


def hidden(text: str) -> bool:
    """Whether `text` holds a character `visible` would show."""
    return _HIDDEN.search(text) is not None


def visible(text: str, lines: bool = False) -> str:
    """`text` with every control and bidi-format character made visible. Line breaks and tabs
    become spaces unless `lines` keeps line breaks."""
    text = text.replace("\t", " ")
    if not lines:
        text = text.replace("\r\n", " ").replace("\n", " ")
    return _HIDDEN.sub(_show, text)
