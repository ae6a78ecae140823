"""The catalogue's closed vocabularies: small, so that the CLI can offer them as choices."""

KINDS = ("infusion", "injection", "procedure", "medicine", "device", "therapy", "self-care")
LINES = ("first", "second", "third", "against")
# What kind of document a source is.
GENRES = ("peer-reviewed", "web-article", "clinic-article")
