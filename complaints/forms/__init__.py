"""The cases' forms, one module per concern."""
