"""The commands, by group; each registers itself with the root group when imported."""
