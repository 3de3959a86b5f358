"""What this release of the site renders with, as one short digest.

Markup kept in the shared cache beyond a worker's life (news.article_parts) must not
outlive the code that rendered it: after a deploy that changes a template, a
translation or a template tag, every page shows the new markup. So such markup is kept
under this digest, which a deploy changes whenever any of those did.
"""

import functools
import hashlib
import os

import django
from django.conf import settings

# What decides how the site's own code renders a page. Tests, documentation and the
# installed packages (but Django, whose version is counted) do not.
RENDERING_SUFFIXES = (".py", ".html", ".mo", ".txt")
SKIPPED_FOLDERS = {".git", ".venv", "node_modules", "tests", "docs", "staticfiles", "media", "var"}


@functools.cache
def release():
    """A digest of the code, templates and compiled translations under BASE_DIR, the
    static files' manifest (the hashed addresses of CSS, scripts and the logo), the
    settings that go into addresses, and Django's version. Worked out once per worker,
    from the files' contents, so that every worker and machine of one release agree."""
    digest = hashlib.sha256()
    for path in sorted(_rendering_files(settings.BASE_DIR)):
        digest.update(os.path.relpath(path, settings.BASE_DIR).encode())
        with open(path, "rb") as file:
            digest.update(hashlib.sha256(file.read()).digest())
    manifest = os.path.join(settings.STATIC_ROOT, "staticfiles.json")
    if os.path.exists(manifest):
        with open(manifest, "rb") as file:
            digest.update(file.read())
    digest.update(
        repr(
            (settings.SITE_URL, settings.STATIC_URL, settings.MEDIA_URL, django.__version__)
        ).encode()
    )
    return digest.hexdigest()[:16]


def _rendering_files(root):
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = [name for name in subfolders if name not in SKIPPED_FOLDERS]
        for name in names:
            if name.endswith(RENDERING_SUFFIXES):
                yield os.path.join(folder, name)
