"""The cases' views, one module per concern."""
