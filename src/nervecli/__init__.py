"""nervecli: explore treatments for nerve (neuropathic) pain from a sourced catalogue."""

__version__ = "0.1.0"
