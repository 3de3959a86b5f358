from django.urls import path

from news import feeds, views

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
    path("rss/", feeds.edition_feed, name="feed"),
    path("category/<slug:slug>/rss/", feeds.category_feed, name="category-feed"),
]
