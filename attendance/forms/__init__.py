"""attendance's forms, one module per concern."""
