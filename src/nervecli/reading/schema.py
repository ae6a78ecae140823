"""The catalogue format as a JSON Schema, generated from the model (one definition)."""

from __future__ import annotations

import json

SCHEMA_ID = "https://nervecli.invalid/catalogue.schema.json"
SCHEMA_FILE = "catalogue.schema.json"  # beside the bundled catalogue, named by its modelines


def catalogue_schema() -> str:
    """The JSON Schema of one catalogue file, as stable, pretty-printed JSON."""
    from nervecli.reading.validation import catalogue_adapter

    schema = catalogue_adapter().json_schema()
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "nervecli catalogue file",
        **{k: v for k, v in schema.items() if k != "title"},
    }
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
