"""kg.backends.base."""
