"""attendance's views, one module per concern."""
