"""What rendering a reader page reuses: one cache round trip per fragment, cached
selections that still follow what readers may see when nothing is written, and
addresses remembered per edition."""

import sys
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.template import Context, Engine, engines
from django.templatetags import i18n as django_i18n
from django.utils import timezone, translation

from core.cache import GENERATION_KEY
from core.memo import BoundedMemo, cached_reverse
from news.models import DailyViews
from tests.builders import make_article, make_category, make_tag
from widgets.models import City, WeatherReading

pytestmark = pytest.mark.django_db


def test_a_page_asks_the_cache_for_the_generation_and_each_fragment_once(client, monkeypatch):
    make_article("Senate", category=make_category("politics"), tags=[make_tag("senate")])
    client.get("/en/")  # fills the fragments the tag page shares with it
    asked = []
    real_get = cache.get

    def counting_get(key, *args, **kwargs):
        asked.append(key)
        return real_get(key, *args, **kwargs)

    monkeypatch.setattr(cache, "get", counting_get)
    response = client.get("/en/tag/senate/")
    assert response.status_code == 200
    counted = Counter(asked)
    assert counted[GENERATION_KEY] == 1, asked
    assert max(counted.values()) == 1, counted


def reading(observed_at):
    return WeatherReading.objects.create(
        city=City.objects.get(slug="astana"),
        observed_at=observed_at,
        temperature=-3,
        temperature_min=-8,
        temperature_max=-1,
        weather_code=71,
        fetched_at=observed_at,
    )


def test_the_weather_says_as_of_once_its_reading_is_a_day_old_with_nothing_written(
    client, each_cache
):
    observed = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    with time_machine.travel(observed + timedelta(hours=1), tick=True):
        reading(observed)
        assert "as of" not in client.get("/en/").content.decode()
    # No fetch and no save since: the cached header (and page) must notice by itself.
    with time_machine.travel(observed + timedelta(days=1, hours=1), tick=True):
        assert "as of 25 November 2026, 17:00" in client.get("/en/").content.decode()


def test_a_tag_page_links_an_edition_once_a_scheduled_article_makes_the_tag_public_there(
    client, settings
):
    settings.PAGE_CACHE_SECONDS = 10
    tag = make_tag("senate")
    make_article("Senate", codes=("en",), tags=[tag])
    make_article(
        "Senate", codes=("ru",), tags=[tag], published_at=timezone.now() + timedelta(seconds=30)
    )
    assert 'href="/ru/tag/senate/"' not in client.get("/en/tag/senate/").content.decode()
    # Nothing written since: the page cache has let the page go, and what it was built
    # from must not outlive the scheduled time either.
    with time_machine.travel(timezone.now() + timedelta(seconds=45), tick=True):
        assert 'href="/ru/tag/senate/"' in client.get("/en/tag/senate/").content.decode()


def test_remembered_addresses_follow_the_edition():
    with translation.override("en"):
        english = cached_reverse("news:tag", slug="senate")
    with translation.override("kk-arab"):
        arabic = cached_reverse("news:tag", slug="senate")
    assert (english, arabic) == ("/en/tag/senate/", "/kk-arab/tag/senate/")


def test_while_a_page_renders_remembered_addresses_still_follow_the_edition():
    # The switcher asks for the page's address in every edition in the middle of a render.
    from django.urls import set_script_prefix

    from core.memo import locale_of_page

    with translation.override("en"), locale_of_page():
        english = cached_reverse("news:tag", slug="water")
        with translation.override("ru"):
            russian = cached_reverse("news:tag", slug="water")
    assert (english, russian) == ("/en/tag/water/", "/ru/tag/water/")
    # Outside a render, a site served under a prefix gets its own addresses.
    set_script_prefix("/portal/")
    try:
        with translation.override("en"):
            assert cached_reverse("news:tag", slug="water") == "/portal/en/tag/water/"
    finally:
        set_script_prefix("/")


def test_a_listing_page_reads_its_subject_and_page_starts_with_the_fragments(
    client, monkeypatch, settings
):
    from news.views import ArticleListView

    settings.PAGE_CACHE_SECONDS = 0  # rendered each time
    monkeypatch.setattr(ArticleListView, "paginate_by", 1)
    tag = make_tag("senate")
    for number in range(3):
        make_article(f"Senate {number}", tags=[tag])
    client.get("/en/tag/senate/?page=3")  # keeps the subject and where pages start
    batches, single = [], []
    real_get_many, real_get = cache.get_many, cache.get

    def spying_get_many(keys, *args, **kwargs):
        batches.append(list(keys))
        return real_get_many(keys, *args, **kwargs)

    def spying_get(key, *args, **kwargs):
        if not args:  # get_many's own calls to get (file cache) pass a default
            single.append(key)
        return real_get(key, *args, **kwargs)

    monkeypatch.setattr(cache, "get_many", spying_get_many)
    monkeypatch.setattr(cache, "get", spying_get)
    assert "Senate 0" in client.get("/en/tag/senate/?page=3").content.decode()
    with_fragments = next(batch for batch in batches if any("chrome:" in k for k in batch))
    kept = [key for key in with_fragments if key.startswith(("subject:", "listing-pages:"))]
    assert len(kept) == 2, with_fragments
    assert single == [], single


def card_renders(monkeypatch):
    """The titles of the cards rendered from includes/card.html from now on."""
    from django.template import base

    rendered = []
    real_render = base.Template._render

    def recording_render(template, context):
        if template.name == "includes/card.html":
            rendered.append(context["article"].title)
        return real_render(template, context)

    monkeypatch.setattr(base.Template, "_render", recording_render)
    return rendered


def rendered_page(client, url):
    # A session cookie: rendered for this request, never answered by the page cache.
    client.cookies[settings.SESSION_COOKIE_NAME] = "none"
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_card_is_rendered_once_per_version_of_its_article_and_shared_by_list_pages(
    client, monkeypatch, each_cache
):
    politics = make_category("politics")
    senate = make_tag("senate")
    budget = make_article(
        "Budget",
        codes=("en", "ru"),
        category=politics,
        tags=[senate],
        published_at=timezone.now() - timedelta(hours=2),
    )
    vote = make_article("Vote", codes=("en", "ru"), category=politics, tags=[senate])
    rendered = card_renders(monkeypatch)

    first = rendered_page(client, "/en/tag/senate/")
    assert sorted(rendered) == [budget.title_en, vote.title_en]
    rendered.clear()
    # Again, and the same cards on the category page: nothing rendered twice.
    assert rendered_page(client, "/en/tag/senate/") == first
    assert "Vote" in rendered_page(client, "/en/category/politics/")
    assert rendered == []
    # Each edition has its own cards.
    assert "[ru]" in rendered_page(client, "/ru/tag/senate/")
    assert len(rendered) == 2

    # Another article published: only its card is new.
    rendered.clear()
    debate = make_article("Debate", category=politics, tags=[senate])
    assert "Debate" in rendered_page(client, "/en/tag/senate/")
    assert rendered == [debate.title_en]

    # An article edited: its card shows the change on the next request.
    rendered.clear()
    budget.title_en = "Budget passed"
    budget.save()
    assert "Budget passed" in rendered_page(client, "/en/tag/senate/")
    assert rendered == ["Budget passed"]


def test_search_results_cards_are_rendered_for_each_search(client, monkeypatch):
    make_article("Senate votes the budget")
    rendered = card_renders(monkeypatch)
    for _ in range(2):
        html = rendered_page(client, "/en/search/?q=budget")
        assert "<mark>budget</mark>" in html.lower()
    assert len(rendered) == 2


def masthead_renders(monkeypatch):
    """The masthead templates rendered from now on (kept ones are not rendered)."""
    from news.templatetags import news

    rendered = []
    real = news.render_to_string

    def counting(template_name, values, *args, **kwargs):
        if template_name == "includes/masthead.html":
            rendered.append(values["here"])
        return real(template_name, values, *args, **kwargs)

    monkeypatch.setattr(news, "render_to_string", counting)
    return rendered


def test_the_masthead_is_rendered_once_per_menu_state_and_shows_each_change(client, monkeypatch):
    world = make_category("world", name="World")
    first = make_article("First", category=world)
    second = make_article("Second", category=world)
    rendered = masthead_renders(monkeypatch)
    for article in (first, second):  # two articles of a section: one masthead
        html = rendered_page(client, article.get_absolute_url())
        assert '<a href="/en/category/world/" aria-current="true">World' in html
    assert rendered == [None]
    assert 'aria-current="page">World' in rendered_page(client, "/en/category/world/")
    assert rendered == [None, "/en/category/world/"]
    # A renamed section: the menu shows its new name on the next page.
    world.name_en = "The world"
    world.save()
    assert ">The world</a>" in rendered_page(client, first.get_absolute_url())
    # What a reader searched for stays in the search box of that page only.
    assert 'value="senate"' in rendered_page(client, "/en/search/?q=senate")
    assert 'value=""' in rendered_page(client, first.get_absolute_url())


def test_the_most_read_list_shows_a_retitled_article_on_the_next_page(client):
    articles = [make_article(f"Read{number}") for number in range(3)]
    for count, article in enumerate(articles, start=1):
        DailyViews.objects.create(
            article=article, edition="en", day=timezone.localdate(), count=count * 10
        )
    assert "Read2" in rendered_page(client, "/en/")
    assert (
        "Read2"
        not in rendered_page(client, articles[2].get_absolute_url()).split('class="popular"')[1]
    )
    articles[2].title_en = "Retitled"
    articles[2].save()
    assert "Retitled" in rendered_page(client, "/en/").split('class="popular"')[1]


def template_renders(monkeypatch, template_name):
    """How many times `template_name` is rendered by render_to_string from now on."""
    from news.templatetags import news

    rendered = []
    real = news.render_to_string

    def counting(name, values, *args, **kwargs):
        if name == template_name:
            rendered.append(name)
        return real(name, values, *args, **kwargs)

    monkeypatch.setattr(news, "render_to_string", counting)
    return rendered


def head(html):
    return html.split("</head>")[0]


def test_two_articles_share_their_rendered_meta_tags_and_switcher_each_with_its_own_values(
    client, monkeypatch
):
    world = make_category("world", name="World")
    first = make_article('Senate <votes> & "budget"', codes=("en", "ru"), category=world)
    second = make_article("Second", codes=("en", "ru"), category=world)
    meta = template_renders(monkeypatch, "includes/meta.html")
    first_html = rendered_page(client, first.get_absolute_url())
    second_html = rendered_page(client, second.get_absolute_url())
    assert len(meta) == 1  # the same shape of page: rendered once, filled twice
    for article, html in ((first, first_html), (second, second_html)):
        address = f"http://testserver{article.get_absolute_url()}"
        with translation.override("ru"):
            russian = article.get_absolute_url()
        assert f'<link rel="canonical" href="{address}">' in html
        assert f'<meta property="og:url" content="{address}">' in html
        assert f'<link rel="alternate" hreflang="ru" href="http://testserver{russian}">' in html
        assert f'<a href="{russian}" lang="ru" hreflang="ru"' in html  # the switcher
    # A page's own values are escaped as the template escapes them.
    assert (
        '<meta property="og:title" content="Senate &lt;votes&gt; &amp; &quot;budget&quot; '
        in head(first_html)
    )
    assert 'content="Second ' in head(second_html)
    assert "Senate" not in head(second_html)


def test_a_page_of_another_shape_gets_its_own_meta_tags_and_switcher(client, monkeypatch):
    both = make_article("Both", codes=("en", "ru"))
    english = make_article("English only", codes=("en",))
    meta = template_renders(monkeypatch, "includes/meta.html")
    switcher = template_renders(monkeypatch, "includes/switcher.html")
    both_html = rendered_page(client, both.get_absolute_url())
    english_html = rendered_page(client, english.get_absolute_url())
    assert len(meta) == 2
    assert len(switcher) == 2
    assert 'hreflang="ru"' in head(both_html)
    assert 'hreflang="ru"' not in head(english_html)
    assert 'class="unavailable"' in english_html.split('class="switcher"')[1].split("</nav>")[0]


def test_text_that_looks_like_a_slot_marker_is_shown_as_written(client):
    from news.templatetags.news import SLOT

    article = make_article(f"Marker {SLOT.format(0)} in a title")
    html = rendered_page(client, article.get_absolute_url())
    assert f'<meta property="og:title" content="Marker {SLOT.format(0)} in a title' in html


def test_a_bounded_memo_forgets_the_oldest_value_first():
    memo = BoundedMemo(2 * sys.getsizeof("A"))  # room for two values of one letter
    computed = []

    def value(key):
        return memo.get(key, lambda: computed.append(key) or key.upper())

    assert [value("a"), value("b"), value("a"), value("c")] == ["A", "B", "A", "C"]
    assert computed == ["a", "b", "c"]
    assert value("b") == "B" and value("a") == "A"  # "a", the oldest, was forgotten
    assert computed == ["a", "b", "c", "a"]


def render_template(source):
    return engines["django"].from_string(source)


def test_a_fixed_text_is_translated_in_each_edition_it_is_rendered_in():
    page = render_template('{% load i18n %}<b>{% translate "Search the news" %}</b>')
    renders = {}
    for code in ("en", "ru", "zh-hans", "en"):
        with translation.override(code):
            renders.setdefault(code, []).append(page.render({}))
    assert renders["en"] == ["<b>Search the news</b>", "<b>Search the news</b>"]
    assert renders["ru"] == ["<b>Поиск по новостям</b>"]
    assert renders["zh-hans"] == ["<b>搜索新闻</b>"]


def test_a_fixed_text_is_translated_once_per_edition(monkeypatch):
    page = render_template('{% load i18n %}{% translate "Search" %}')
    resolved = []
    real_render = django_i18n.TranslateNode.render

    def counting_render(node, context):
        resolved.append(translation.get_language())
        return real_render(node, context)

    monkeypatch.setattr(django_i18n.TranslateNode, "render", counting_render)
    for code in ("ru", "ru", "kk", "ru", "kk"):
        with translation.override(code):
            page.render({})
    assert resolved == ["ru", "kk"]


def test_translate_renders_as_djangos_own_tag_does():
    source = (
        "{% load i18n %}"
        "{% translate word %}|"
        '{% translate ", " context "list separator" %}|'
        '{% translate "Search" as label %}[{{ label }}]|'
        '{% translate "Kazinform" context kind %}|'
        '{% translate "Search"|upper %}|'
        '{% translate "<b>" %}{% translate "100%" %}|'
        '{% autoescape off %}{% translate "<b>" %}{% endautoescape %}|'
        '{% translate "Search" noop %}'
    )
    ours = render_template(source)
    djangos = Engine(libraries={"i18n": "django.templatetags.i18n"}).from_string(source)
    seen = []
    for code in ("ru", "zh-hans", "ru"):
        for values in ({"word": "Search", "kind": "site name"}, {"word": "Tags", "kind": "x"}):
            with translation.override(code):
                expected = djangos.render(Context(values))
                assert ours.render(values) == expected
                seen.append(expected)
    assert seen[0] == "Поиск|, |[Поиск]|Казинформ|ПОИСК|<b>100%|<b>|Search", seen[0]
    assert seen[1].startswith("Теги|, |[Поиск]|Kazinform|"), seen[1]
