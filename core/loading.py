"""Model instances made from database rows without going through `__init__`.

Django's `Model.from_db()` passes a row to `__init__`, which walks every concrete field
of the model (an article has 74: seven editions of each text) to set the few that were
read, after matching each against the list of names read. For a list page's 21 rows
that was 1 ms, against 0.16 ms for the query itself (docs/benchmark.md, "eighth
round"). Django documents from_db() as the place to change how rows are loaded.
"""

from django.db import models
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init


class LoadedFromRows(models.Model):
    """Loads a row as `__init__` would, by writing what was read straight into the
    instance: `__init__` stores each value as it is (modeltranslation's fields included,
    which it marks as being initialised), and deferred fields are those not written.
    post_init is sent, as `__init__` sends it (image dimensions, modeltranslation's
    clean-up); with a pre_init receiver (none here) Django's way is used."""

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        if pre_init.has_listeners(cls):
            return super().from_db(db, field_names, values)
        instance = cls.__new__(cls)
        state = instance._state = ModelState()
        state.adding = False
        state.db = db
        instance.__dict__.update(zip(field_names, values, strict=True))
        post_init.send(sender=cls, instance=instance)
        return instance
