"""Names shared by the CLI and the library that must not pull in anything heavy at start-up."""

ENV_CATALOG = "NERVECLI_CATALOG"  # catalogue files or folders over the bundled one, like PATH
ENV_NO_BUNDLED = "NERVECLI_NO_BUNDLED"  # "1": use only the catalogues named
SHOWN_PROBLEMS = 5  # how many catalogue problems nervecli shows when it refuses to start

# The catalogue's vocabularies, here so that the CLI can offer them without importing the model.
KINDS = ("infusion", "injection", "procedure", "medicine", "device", "therapy", "self-care")
LINES = ("first", "second", "third", "against")
SORTS = ("kind", "name", "nnt")
ENV_NO_CACHE = "NERVECLI_NO_CACHE"  # "1": always read the catalogue files, never the cache
