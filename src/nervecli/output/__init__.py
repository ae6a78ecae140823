"""Layer 6, output: documents built from domain answers, and the drawers that print them."""
