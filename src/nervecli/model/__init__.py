"""Layer 1, the model: what a catalogue is (data, names, errors as facts); imports no layer."""
