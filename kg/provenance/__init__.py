"""kg.provenance.why."""
