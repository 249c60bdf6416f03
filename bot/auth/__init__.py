"""Staff authentication: password hashes and API tokens."""
