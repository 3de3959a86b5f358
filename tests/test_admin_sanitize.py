"""Article bodies are sanitised on save: no script of any kind reaches a reader."""

import re

import pytest

from news.models import Article
from news.sanitize import clean_html
from tests.admin_helpers import CHIEF_EDITOR, add_url, article_form_data, make_staff
from tests.builders import make_article, make_category

pytestmark = pytest.mark.django_db

# Real payloads from public XSS cheat sheets (OWASP, PortSwigger), one per trick.
PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//xss.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<img src="javascript:alert(1)">',
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<img src=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    '<a href="  JAVASCRIPT:alert(1)">click</a>',
    '<a href="jav&#x09;ascript:alert(1)">click</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click</a>',
    '<a href="vbscript:msgbox(1)">click</a>',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<body onload=alert(1)>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe src="https://evil.example/embed"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<p style="background:url(javascript:alert(1))">styled</p>',
    "<style>@import 'javascript:alert(1)';</style>",
    '<link rel="stylesheet" href="javascript:alert(1)">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<form action="javascript:alert(1)"><input type="submit"></form>',
    "<details open ontoggle=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<<script>script>alert(1)<</script>/script>",
    '<div onmouseover="alert(1)">hover</div>',
    '<video><source onerror="alert(1)"></video>',
    '<a href="https://example.org" onclick="alert(1)">ok</a>',
    "<!--<img src=x onerror=alert(1)>-->",
]

FORBIDDEN = re.compile(
    r"<\s*(script|style|svg|math|object|embed|link|meta|base|form|input|body|video|details)\b"
    r"|\son\w+\s*="
    r"|javascript:|vbscript:|data:"
    r"|\sstyle\s*="
    r"|\ssrcdoc\s*=",
    re.IGNORECASE,
)


def body_of(html):
    return html.split('<div class="body">', 1)[1].split("</div>", 1)[0]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_saved_in_the_admin_never_reaches_the_reader(client, payload):
    client.force_login(make_staff(CHIEF_EDITOR))
    data = article_form_data(
        make_category(), status="published", body_en=f"<p>Lead-in</p>{payload}"
    )
    response = client.post(add_url(), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get(slug="from-the-admin")
    body = body_of(client.get(article.get_absolute_url()).content.decode())
    assert "<p>Lead-in</p>" in body
    assert not FORBIDDEN.search(body), body
    assert "<iframe" not in body or 'src="https://' not in body


def test_saving_outside_the_admin_is_cleaned_too():
    article = make_article(
        body_ru="<p>Текст</p><script>alert(1)</script><img src=x onerror=alert(1)>"
    )
    article.refresh_from_db()
    assert article.body_ru == '<p>Текст</p><img src="x">'


def test_the_editors_markup_survives():
    html = (
        "<h2>Heading</h2><h3>Sub</h3><h4>Minor</h4><p><strong>bold</strong> <em>it</em><br>"
        '<a href="https://kazinform.kz/" title="Agency">link</a></p><ul><li>one</li></ul>'
        "<ol><li>two</li></ol><blockquote><p>quote</p></blockquote>"
        '<figure><img src="/media/x.jpg" alt="A" width="640" height="360">'
        "<figcaption>Caption</figcaption></figure>"
        "<table><thead><tr><th>H</th></tr></thead><tbody><tr><td>D</td></tr></tbody></table>"
    )
    cleaned = clean_html(html)
    for fragment in (
        "<h2>Heading</h2>",
        "<h4>Minor</h4>",
        "<strong>bold</strong>",
        'href="https://kazinform.kz/"',
        'title="Agency"',
        '<img src="/media/x.jpg" alt="A" width="640" height="360">',
        "<figcaption>Caption</figcaption>",
        "<th>H</th>",
        "<blockquote><p>quote</p></blockquote>",
    ):
        assert fragment in cleaned
    assert 'rel="noopener noreferrer nofollow"' in cleaned


def test_only_known_video_players_may_be_embedded():
    youtube = (
        '<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" title="Video"></iframe>'
    )
    assert 'src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in clean_html(youtube)
    assert "src=" not in clean_html('<iframe src="https://evil.example/embed/abc"></iframe>')
    assert "src=" not in clean_html(
        '<iframe src="https://www.youtube.com.evil.example/embed/"></iframe>'
    )


def test_body_is_edited_with_the_bundled_rich_text_editor(client):
    client.force_login(make_staff(CHIEF_EDITOR))
    html = client.get(add_url()).content.decode()
    for code in ("en", "kk_arab"):
        assert re.search(
            rf'<textarea name="body_{code}"[^>]*data-django-prose-editor-configurable=', html
        )
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', html)
    assert any("django_prose_editor" in src for src in scripts)
    # Everything comes from our own static files: the editor works without network.
    assert all(src.startswith("/") and not src.startswith("//") for src in scripts), scripts
