"""The JSON drawer: a document's record, for scripts. Non-ASCII characters are escaped, so no
control or bidi-format character can reach a terminal raw."""

from __future__ import annotations

import json

from nervecli.output.document import Document


def draw(doc: Document) -> str:
    return json.dumps(doc.record, indent=2, ensure_ascii=True) + "\n"
