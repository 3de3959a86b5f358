"""Send reads to the replica, except for the request that just wrote.

Enabled only when DATABASE_REPLICA_URL is set. Inside a transaction or
after a write on this thread (an editor's save, a view count), reads stay on
the primary so that nobody reads their own change from a lagging replica.
"""

import threading

from django.db import transaction

_state = threading.local()


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if getattr(_state, "wrote", False) or not transaction.get_autocommit("default"):
            return "default"
        return "replica"

    def db_for_write(self, model, **hints):
        _state.wrote = True
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


def forget_writes(**kwargs):
    """Called at the start of each request (see core.signals)."""
    _state.wrote = False
