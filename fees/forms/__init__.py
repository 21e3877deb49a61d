"""forms of the fees app, one module per concern."""
