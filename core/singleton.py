"""Tables of exactly one row: the settings editors change without a deployment."""

from django.contrib import admin
from django.db import models


class SingletonModel(models.Model):
    class Meta:
        abstract = True

    @classmethod
    def current(cls):
        """The one row, created with the defaults the first time it is asked for."""
        # A plain read first: get_or_create reads the primary, this may read a replica.
        row = cls.objects.filter(pk=1).first()
        if row is None:
            row, _created = cls.objects.get_or_create(pk=1)
        return row

    @classmethod
    def read(cls):
        """The saved row, or the defaults before anyone saved it.

        For pages: reading never writes, since a write starts a new content
        generation and would throw away every cached page (core.cache).
        """
        return cls.objects.filter(pk=1).first() or cls(pk=1)


class SingletonModelAdmin(admin.ModelAdmin):
    """Editors change the one row; nobody adds a second one or deletes it."""

    def has_add_permission(self, request):
        return not self.model.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
