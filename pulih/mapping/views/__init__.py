"""Pages of the mapping app, one module per sub-domain."""
