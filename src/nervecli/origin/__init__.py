"""Layer 3, the catalogue's origin: where a catalogue comes from, in one place. Below it,
`reading` reads, parses and validates the YAML files; here `open_catalogue` answers from the
cache when it is current and reads the files (and caches them) otherwise. The cache's jobs are
one module each: the file format and freshness (`format`, `codec`), the SQLite files themselves
(`sqlfile`), the lazy catalogue read from one with its fallback to the files (`proxies`), the
stored search index (`search_index`), and opening a catalogue (`store`)."""
