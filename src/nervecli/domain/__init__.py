"""Layer 4, the domain: the questions a patient asks of a catalogue, answered as data."""
