"""kg.export.registry."""
