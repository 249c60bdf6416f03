"""escalations package."""
