"""Search as readers expect it: case never matters, in any script; on PostgreSQL word
forms match and the most relevant come first; matched words are highlighted; the
switcher keeps the words."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from news import search
from news.models import Article
from tests.builders import make_article
from tests.caching import queries_for, warm

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="word forms and ranking are PostgreSQL's"
)


def titles_found(client, code, query):
    html = client.get(f"/{code}/search/", {"q": query}).content.decode()
    return re.findall(r"<h2><a [^>]*>(.*?)</a></h2>", html)


def plain(html_titles):
    return [re.sub(r"</?mark>", "", title) for title in html_titles]


@pytest.mark.parametrize(
    ("code", "title", "queries"),
    [
        ("ru", "Сенат принял закон", ["Сенат", "сенат", "СЕНАТ", "сЕНАТ"]),
        ("kk", "Қазақстан Сенаты", ["Қазақстан", "қазақстан", "ҚАЗАҚСТАН"]),
        ("uz", "Ўзбекистон Сенати", ["ўзбекистон", "ЎЗБЕКИСТОН"]),
        ("en", "Senate meets", ["senate", "SENATE"]),
        ("kk-latn", "Īstanbūl sapary", ["īstanbūl", "ĪSTANBŪL"]),
    ],
)
def test_case_does_not_matter_in_any_script(client, code, title, queries):
    make_article(codes=(code,), **{f"title_{code.replace('-', '_')}": title})
    make_article(codes=(code,), **{f"title_{code.replace('-', '_')}": "Other news"})
    for query in queries:
        assert plain(titles_found(client, code, query)) == [title], query


def test_case_does_not_matter_in_leads_and_bodies_either(client):
    make_article(codes=("ru",), lead_ru="Заседание СЕНАТА", title_ru="Новость")
    make_article(codes=("ru",), body_ru="<p>Депутаты сената</p>", title_ru="Другая")
    assert sorted(plain(titles_found(client, "ru", "Сената"))) == ["Другая", "Новость"]


def test_dotted_and_dotless_i_match_in_kazakh_latin(client):
    make_article(codes=("kk-latn",), title_kk_latn="İSTANBUL", lead_kk_latn="")
    assert plain(titles_found(client, "kk-latn", "istanbul")) == ["İSTANBUL"]


def test_fold_makes_case_disappear_in_every_script():
    folded = search.fold("СЕНАТ Қазақ ΣΟΦΊΑ İstanbul ISTANBUL")
    assert folded == "сенат қазақ σοφία istanbul istanbul"


@on_postgresql
def test_word_forms_match_through_the_editions_configuration(client):
    make_article(title_en="The ambassador arrived")
    make_article(codes=("ru",), title_ru="Встреча с сенаторами")
    assert plain(titles_found(client, "en", "ambassadors")) == ["The ambassador arrived"]
    assert plain(titles_found(client, "ru", "сенатор")) == ["Встреча с сенаторами"]


@on_postgresql
def test_most_relevant_first_then_newest(client):
    now = timezone.now()
    make_article(
        title_en="Budget debate",
        body_en="<p>The senate met.</p>",
        published_at=now - timedelta(hours=1),
    )
    make_article(title_en="Senate session", published_at=now - timedelta(days=3))
    make_article(title_en="Senate votes", published_at=now - timedelta(days=2))
    found = plain(titles_found(client, "en", "senate"))
    assert found == ["Senate votes", "Senate session", "Budget debate"]


@on_postgresql
def test_matches_beyond_the_ranked_candidates_follow_by_date(client, monkeypatch):
    monkeypatch.setattr(search, "RANKED_CANDIDATES", 2)
    now = timezone.now()
    make_article(title_en="Senate old", published_at=now - timedelta(days=9))
    make_article(title_en="Quiet day", body_en="<p>senate</p>", published_at=now)
    make_article(title_en="Senate new", published_at=now - timedelta(days=1))
    make_article(title_en="Senate oldest", published_at=now - timedelta(days=20))
    found = plain(titles_found(client, "en", "senate"))
    assert found == ["Senate new", "Quiet day", "Senate old", "Senate oldest"]


@on_postgresql
def test_the_ranked_candidates_are_the_newest_matches_however_old(client, monkeypatch):
    monkeypatch.setattr(search, "RANKED_CANDIDATES", 2)
    now = timezone.now()
    make_article(title_en="Senate long ago", published_at=now - timedelta(days=400))
    make_article(title_en="Senate this spring", published_at=now - timedelta(days=100))
    make_article(title_en="Quiet day", body_en="<p>senate</p>", published_at=now)
    found = plain(titles_found(client, "en", "senate"))
    assert found == ["Senate this spring", "Quiet day", "Senate long ago"]


@on_postgresql
def test_results_read_a_slice_at_a_time_follow_one_another(monkeypatch):
    monkeypatch.setattr(search, "RANKED_CANDIDATES", 4)
    now = timezone.now()
    for number in range(7):
        make_article(
            title_en=f"Senate item {number}",
            body_en="<p>senate senate</p>" if number % 2 else "<p>calm</p>",
            published_at=now - timedelta(days=number * 40),
        )
    results = search.matching(Article.objects.for_readers("en"), "senate", "en")
    whole = [article.pk for article in results[0:7]]
    assert [a.pk for a in results[0:3]] + [a.pk for a in results[3:7]] == whole
    assert len(set(whole)) == 7 and results.count() == 7
    # The four newest by relevance (those saying it thrice first), the rest by date.
    assert (
        whole[4:]
        == [a.pk for a in Article.objects.filter(pk__in=whole).order_by("-published_at")][4:]
    )


@on_postgresql
def test_a_search_with_fewer_matches_than_candidates_takes_two_queries(client, monkeypatch):
    monkeypatch.setattr(search, "RANKED_CANDIDATES", 4)
    now = timezone.now()
    make_article(title_en="Budget", body_en="<p>senate</p>", published_at=now)
    for number in range(2):
        make_article(
            title_en=f"Senate sitting {number}", published_at=now - timedelta(days=number + 1)
        )
    with CaptureQueriesContext(connection) as queries:
        found = plain(titles_found(client, "en", "senate"))
    # Still the most relevant first, then the newest.
    assert found == ["Senate sitting 0", "Senate sitting 1", "Budget"]
    searching = [query["sql"] for query in queries if "websearch_to_tsquery" in query["sql"]]
    # Counted, then the page of the matches ranked.
    assert len(searching) == 2, searching


def test_a_search_that_matches_nothing_takes_one_query(client):
    make_article(title_en="Senate sitting")
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/en/search/", {"q": "nowhere"}).content.decode()
    assert "Senate sitting" not in html and "Nothing found for" in html
    searching = [
        query["sql"]
        for query in queries
        if "websearch_to_tsquery" in query["sql"] or "portal_search_contains" in query["sql"]
    ]
    assert len(searching) == 1, searching  # the count, which says there is nothing


@on_postgresql
def test_a_search_is_counted_without_building_its_query_again(client, monkeypatch):
    make_article(title_en="Senate sitting")
    make_article(title_en="Budget day")
    client.get("/en/search/", {"q": "budget"})  # the count is compiled at the first search
    builds = []
    with_words = search.with_words
    monkeypatch.setattr(
        search, "with_words", lambda *args: builds.append(args[1:]) or with_words(*args)
    )
    html = client.get("/en/search/", {"q": "nowhere"}).content.decode()
    assert "Nothing found for" in html
    assert builds == []  # counted, found to be nothing: the matches were never built
    assert plain(titles_found(client, "en", "senate")) == ["Senate sitting"]
    assert builds == [("senate", "en")]  # the page of matches, after the count


def test_a_nul_character_in_the_words_is_left_out(client):
    make_article(title_en="Senate sitting")
    response = client.get("/en/search/?q=sen%00ate%00")
    assert response.status_code == 200
    assert plain(re.findall(r"<h2><a [^>]*>(.*?)</a></h2>", response.content.decode())) == [
        "Senate sitting"
    ]


def test_matched_words_are_highlighted_in_titles_and_leads_whatever_their_case(client):
    make_article(codes=("ru",), title_ru="Сенат принял закон", lead_ru="Сенат собрался")
    html = client.get("/ru/search/", {"q": "сенат"}).content.decode()
    assert "<mark>Сенат</mark> принял закон</a>" in html
    assert '<p class="lead"><mark>Сенат</mark> собрался</p>' in html


def test_highlighting_escapes_the_text_and_the_query(client):
    make_article(title_en="<b>Senate</b> & co", lead_en="")
    html = client.get("/en/search/", {"q": "senate"}).content.decode()
    assert "&lt;b&gt;<mark>Senate</mark>&lt;/b&gt; &amp; co" in html
    html = client.get("/en/search/", {"q": "<script>alert(1)</script> senate"}).content.decode()
    assert "<script>alert" not in html


def test_highlighter_escapes_the_text_around_and_inside_the_marks():
    highlight = search.highlighter("senate", "en")
    assert highlight("<Senate> & x") == "&lt;<mark>Senate</mark>&gt; &amp; x"


def test_excluded_words_are_not_highlighted():
    highlight = search.highlighter("senate -vote", "en")
    assert highlight("Senate vote") == "<mark>Senate</mark> vote"


def test_highlighter_marks_every_occurrence_and_keeps_the_texts_own_letters():
    highlight = search.highlighter("ҚАЗАҚ", "kk")
    assert highlight("Қазақ елі, қазақ тілі") == "<mark>Қазақ</mark> елі, <mark>қазақ</mark> тілі"


@on_postgresql
def test_highlighter_marks_the_word_forms_postgresql_matched():
    highlight = search.highlighter("ambassadors", "en")
    assert (
        highlight("The ambassador and the embassy") == "The <mark>ambassador</mark> and the embassy"
    )


def test_other_pages_are_not_highlighted(client):
    article = make_article(title_en="Senate meets")
    assert "<mark>" not in client.get("/en/").content.decode()
    assert "<mark>" not in client.get(article.get_absolute_url()).content.decode()


def test_switcher_on_the_search_page_keeps_the_query(client):
    html = client.get("/en/search/", {"q": "Сенат & co"}).content.decode()
    nav = html[html.index('class="switcher"') :]
    assert 'href="/ru/search/?q=%D0%A1%D0%B5%D0%BD%D0%B0%D1%82+%26+co"' in nav
    assert 'href="/zh-hans/search/?q=%D0%A1%D0%B5%D0%BD%D0%B0%D1%82+%26+co"' in nav


def test_switcher_on_an_empty_search_page_leads_to_the_empty_search(client):
    html = client.get("/en/search/").content.decode()
    assert 'href="/kk/search/"' in html


def test_a_repeated_search_is_answered_from_the_page_cache(client):
    make_article("Senate adjourns")
    warm(client, "/en/search/?q=senate")
    response, queries = queries_for(client, "/en/search/?q=senate")
    assert queries == 0
    found = plain(re.findall(r"<h2><a [^>]*>(.*?)</a></h2>", response.content.decode()))
    assert [title.split()[:2] for title in found] == [["Senate", "adjourns"]]


def test_each_search_is_kept_apart_and_a_publication_shows_at_once(client):
    make_article("Senate adjourns")
    make_article("Harvest begins")
    warm(client, "/en/search/?q=senate")
    warm(client, "/en/search/?q=harvest")
    assert [title.split()[0] for title in plain(titles_found(client, "en", "senate"))] == ["Senate"]
    assert [title.split()[0] for title in plain(titles_found(client, "en", "harvest"))] == [
        "Harvest"
    ]
    make_article("Senate reconvenes")
    assert len(titles_found(client, "en", "senate")) == 2


def test_a_search_that_matches_nothing_is_not_kept(client):
    make_article("Senate adjourns")
    client.get("/en/search/?q=zyxwvut")
    response, queries = queries_for(client, "/en/search/?q=zyxwvut")
    assert response.status_code == 200
    assert queries > 0


def test_a_word_is_stemmed_once_however_often_pages_show_it():
    search.stemmed.cache_clear()
    assert search.stemmed("english", "parliaments") == "parliament"
    assert search.stemmed("russian", "сенаторами") == search.stemmed("russian", "сенатор")
    search.stemmed("english", "parliaments")
    assert search.stemmed.cache_info().hits == 1
