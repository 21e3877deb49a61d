"""Writes of cases, one function per action (one module per concern)."""
