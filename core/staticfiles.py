"""Static files as served in production: whitenoise's compressed, hashed copies, with
each file's address remembered per worker."""

import functools

from whitenoise.storage import CompressedManifestStaticFilesStorage


class RememberedStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """A page asks for the same half-dozen addresses (style sheet, icons, scripts) on every
    render, at 17 µs each: the manifest they are read from is loaded when a worker starts
    and does not change while it lives, so each address is worked out once."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Names come from templates and code, never from requests: a few dozen in all.
        self._remembered_url = functools.lru_cache(maxsize=1024)(super().url)

    def url(self, name, force=False):
        if force:  # collectstatic's own post-processing
            return super().url(name, force)
        return self._remembered_url(name)
