"""The catalogue's closed vocabularies: small, so that the CLI can offer them as choices."""

KINDS = ("infusion", "injection", "procedure", "medicine", "device", "therapy", "self-care")
LINES = ("first", "second", "third", "against")
# How a list of treatments can be ordered.
SORTS = ("kind", "name", "nnt")
# What kind of document a source is.
GENRES = ("peer-reviewed", "web-article", "clinic-article")
