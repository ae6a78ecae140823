"""The JSON drawer: a command's record (`nervecli.records`), for scripts. Non-ASCII characters
are escaped, and a control or bidi-format character in a string (an ESC typed in a query, a
BEL in a decision file) is written as the visible text `<U+001B>`, as in every other format:
`jq -r` would otherwise print it raw. The output is always valid Unicode: a lone surrogate (a
byte of a file name or an argument that is not UTF-8) is written as the visible text `\\xFF`,
never as a `\\udcff` escape that strict parsers refuse."""

from __future__ import annotations

import json
import re
from typing import Any

from nervecli.output.text import hidden, visible

# What a hidden character looks like once escaped by json.dumps (ensure_ascii): C0 controls but
# tab and line feed, DEL and C1, the bidi formats, surrogates. A match is only a hint (an
# escaped backslash can precede a 'b'): the strings themselves are then checked.
_ESCAPED = re.compile(
    r"\\(?:[bfr]|u00(?:[01][0-9a-f]|7f|[89][0-9a-f])|u061c|u200[ef]|u202[a-e]|u206[6-9]|ud[89a-f])"
)


def _whole(value: Any) -> Any:
    if isinstance(value, str):
        return visible(value, lines=True) if hidden(value) else value
    if isinstance(value, dict):
        return {_whole(k): _whole(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_whole(v) for v in value]
    return value


def draw(record: Any) -> str:
    text = json.dumps(record, indent=2, ensure_ascii=True)
    if _ESCAPED.search(text):  # rare: emoji (surrogate pairs), or a hidden character to show
        text = json.dumps(_whole(record), indent=2, ensure_ascii=True)
    return text + "\n"
