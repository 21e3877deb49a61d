"""attendance's tables, one module per concern."""
