"""Storing what a fetcher read, the same way for every source."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction


@dataclass
class StoreResult:
    created: int = 0
    updated: int = 0  # the source corrected a value it had published
    unchanged: int = 0


def _differs(stored, fetched):
    return Decimal(stored or 0) != Decimal(fetched or 0)


def store(model, rows, now):
    """Store (key, values) pairs of `model` in one transaction.

    A new key becomes a row fetched at `now`; a stored key whose values changed
    takes the source's latest word; a key stored as it is stays untouched, so a
    fetch repeated from cron writes nothing.
    """
    result = StoreResult()
    with transaction.atomic():
        for key, values in rows:
            row = model.objects.select_for_update().filter(**key).first()
            if row is None:
                model.objects.create(**key, **values, fetched_at=now)
                result.created += 1
            elif any(_differs(getattr(row, name), value) for name, value in values.items()):
                for name, value in values.items():
                    setattr(row, name, value)
                row.fetched_at = now
                row.save()
                result.updated += 1
            else:
                result.unchanged += 1
    return result
