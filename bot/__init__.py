"""Messaging assistant for the Danish municipal integration programme."""
