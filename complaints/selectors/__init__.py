"""The cases' selectors, one module per concern."""
