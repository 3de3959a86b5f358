"""Video addresses an editor pastes, reduced to (host, id) by settings.VIDEO_EMBED_PROVIDERS."""

import re

from django.conf import settings

MAX_ADDRESS_LENGTH = 500


def parse(address):
    """(provider, video id) for an address on an allowed host, None for anything else
    (another host, a look-alike host, HTML, an address without a video id)."""
    address = (address or "").strip()
    if not address or len(address) > MAX_ADDRESS_LENGTH or any(c.isspace() for c in address):
        return None
    for name, provider in settings.VIDEO_EMBED_PROVIDERS.items():
        for pattern in provider["patterns"]:
            match = re.match(pattern, address)  # the re module keeps compiled patterns
            if match:
                return name, match.group("id")
    return None


def address_of(provider, video_id):
    """The address an editor sees for a stored embed (the host's own watch page)."""
    host = settings.VIDEO_EMBED_PROVIDERS.get(provider)
    return host["watch"].format(id=video_id) if host else ""
