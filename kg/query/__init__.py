"""kg.query.engine."""
