"""Every write of the mapping app, split by sub-domain."""
