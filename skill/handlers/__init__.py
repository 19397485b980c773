"""Request handlers, one module per conversation area."""
