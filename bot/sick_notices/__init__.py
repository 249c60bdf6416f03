"""Sick notices and cancellations (afbud): coverage, check-ins, documentation, who is told."""
