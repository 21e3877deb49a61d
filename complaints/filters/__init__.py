"""The cases' filters, one module per concern."""
