"""contacts package."""
