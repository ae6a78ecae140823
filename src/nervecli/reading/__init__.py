"""Layer 2, reading: files, YAML and validation into the model."""
