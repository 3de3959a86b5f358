"""Serves jQuery UI (for modeltranslation's edition tabs) from the XStatic package.

modeltranslation loads jQuery UI from a CDN by default; the admin must work
without network, so we serve the package's copy. Only its script is exposed:
the package's theme CSS refers to files it does not ship, which the hashed
static-files manifest would refuse.
"""

import xstatic.pkg.jquery_ui
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

PREFIX = "jquery-ui"
SCRIPT = "jquery-ui.min.js"
URL_PATH = f"{PREFIX}/{SCRIPT}"  # what settings.JQUERY_UI_URL names


class JQueryUIFinder(BaseFinder):
    def __init__(self, *args, **kwargs):
        self.storage = FileSystemStorage(location=xstatic.pkg.jquery_ui.BASE_DIR)
        self.storage.prefix = PREFIX  # collectstatic puts the file under jquery-ui/

    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False, **kwargs):
        found = self.storage.path(SCRIPT) if path == URL_PATH else None
        if find_all:
            return [found] if found else []
        return found

    def list(self, ignore_patterns):
        yield SCRIPT, self.storage
