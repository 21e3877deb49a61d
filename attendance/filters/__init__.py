"""attendance's filters, one module per concern."""
