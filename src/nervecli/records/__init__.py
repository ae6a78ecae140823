"""JSON records: each command's data for scripts, built from the domain's answer apart
from the printable document (see `common`)."""
