"""attendance's services, one module per concern."""
