"""The wording layer: one module per command, building a `Document` from the domain's answer."""
