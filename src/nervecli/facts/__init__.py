"""Layer 3, facts: walking a catalogue: which facts hold for which entry, and every quote."""
