"""The cases' tables, one module per concern."""
