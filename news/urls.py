from django.urls import path, register_converter

from news import feeds, views


class Digits:
    """Exactly `length` digits, written back zero-padded: 2021/04/23, never 2021/4/23."""

    length = None

    def __init__(self):
        self.regex = f"[0-9]{{{self.length}}}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):0{self.length}d}"


class Year(Digits):
    length = 4


class TwoDigits(Digits):
    length = 2


register_converter(Year, "yyyy")
register_converter(TwoDigits, "dd")

app_name = "news"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("article/<int:pk>-<slug:slug>/", views.ArticleView.as_view(), name="article"),
    path("article/<int:pk>/", views.ArticleView.as_view(), name="article-by-id"),
    path("article/<int:pk>/seen/", views.count_view, name="article-seen"),
    path("preview/<int:pk>/", views.PreviewView.as_view(), name="preview"),
    path("category/<slug:slug>/", views.CategoryView.as_view(), name="category"),
    path("tag/<slug:slug>/", views.TagView.as_view(), name="tag"),
    path("author/<slug:slug>/", views.AuthorView.as_view(), name="author"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("archive/<yyyy:year>/", views.ArchiveYearView.as_view(), name="archive-year"),
    path("archive/<yyyy:year>/<dd:month>/", views.ArchiveMonthView.as_view(), name="archive-month"),
    path(
        "archive/<yyyy:year>/<dd:month>/<dd:day>/",
        views.ArchiveDayView.as_view(),
        name="archive-day",
    ),
    path("rss/", feeds.edition_feed, name="feed"),
    path("category/<slug:slug>/rss/", feeds.category_feed, name="category-feed"),
]
