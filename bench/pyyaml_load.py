"""PyYAML's own load of a catalogue's files, the yardstick for a first run:
`python bench/pyyaml_load.py DIR` reads every *.yaml file below DIR with `yaml.load` and
libyaml's safe loader (CSafeLoader), one after the other in one process, and builds nothing
else."""

import sys
from pathlib import Path

import yaml

for path in sorted(Path(sys.argv[1]).rglob("*.yaml")):
    yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
