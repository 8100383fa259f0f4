"""kg.synth.generate."""
