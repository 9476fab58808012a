"""Every write of the sync protocol: pushes (with merge) and conflict resolution."""

from pulih.sync.services.conflicts import conflict_resolve
from pulih.sync.services.push import BatchRejected, push_batch

__all__ = ["BatchRejected", "conflict_resolve", "push_batch"]
