"""kg.validate.core."""
