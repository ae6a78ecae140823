"""Layer 5, the cache: a validated catalogue stored as plain data, so most runs read no YAML."""
