"""kg.network."""
