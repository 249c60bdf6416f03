"""items package."""
