"""The JSON drawer: a command's record (`nervecli.records`), for scripts. Non-ASCII characters
are escaped, so no control or bidi-format character can reach a terminal raw; and the output
is always valid Unicode: a lone surrogate (a byte of a file name or an argument that is not
UTF-8) is written as the visible text `\\xFF`, never as a `\\udcff` escape that strict parsers
refuse."""

from __future__ import annotations

import json
import re
from typing import Any

from nervecli.output.text import visible

_SURROGATE = re.compile("[\ud800-\udfff]")


def _whole(value: Any) -> Any:
    if isinstance(value, str):
        return visible(value, lines=True) if _SURROGATE.search(value) else value
    if isinstance(value, dict):
        return {_whole(k): _whole(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_whole(v) for v in value]
    return value


def draw(record: Any) -> str:
    text = json.dumps(record, indent=2, ensure_ascii=True)
    if "\\ud" in text:  # rare: surrogate pairs of emoji, or lone ones to replace
        text = json.dumps(_whole(record), indent=2, ensure_ascii=True)
    return text + "\n"
