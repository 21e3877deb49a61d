"""attendance's selectors, one module per concern."""
