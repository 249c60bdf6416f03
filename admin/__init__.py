"""Staff admin panel: open items, cases, conversations."""
