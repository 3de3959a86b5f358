"""Plain-text fields (title, lead, dateline, caption, names) carrying XSS payloads
are shown as text everywhere they appear: page, metadata and JSON-LD.
Article bodies, which are HTML, are covered by tests/test_admin_sanitize.py."""

import re

import pytest

from news.models import Article
from tests.admin_helpers import CHIEF_EDITOR, add_url, article_form_data, make_staff
from tests.builders import make_author, make_category, make_tag

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "</script><script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' onmouseover='alert(1)",
    "<!--</script><svg onload=alert(1)>",
    "\u2028</SCRIPT ><script>alert(1)</script>",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_text_fields_saved_in_the_admin_reach_the_reader_as_text(client, payload):
    client.force_login(make_staff(CHIEF_EDITOR))
    category = make_category(name=payload)
    tag, author = make_tag(name=payload), make_author(name=payload)
    data = article_form_data(
        category,
        status="published",
        title_en=f"Title {payload}",
        lead_en=f"Lead {payload}",
        dateline_city_en=f"Astana {payload}",
        tags=[tag.pk],
        authors=[author.pk],
    )
    assert client.post(add_url(), data).status_code == 302
    client.logout()
    article = Article.objects.get(slug="from-the-admin")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Title " in html
    # Exactly the page's own scripts: two JSON-LD blocks and the beacon.
    scripts = re.findall(r"<script\b[^>]*>", html, re.IGNORECASE)
    assert len(scripts) == 3, scripts
    json_ld = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
    for block in json_ld.findall(html):
        assert "<" not in block  # nothing inside could end the block early
    markup = json_ld.sub("", html)  # JSON-LD is data: quotes there are harmless
    assert not re.search(r"<(img|svg)\b[^>]*\bon\w+=", markup, re.IGNORECASE)
    assert not re.search(r"\son\w+='alert", markup)
