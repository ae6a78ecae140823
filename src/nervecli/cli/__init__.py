"""Layer 7, the command line: parse arguments, build settings once, map errors to exit statuses."""
