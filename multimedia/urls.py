from django.urls import path

from multimedia import feeds, views

app_name = "multimedia"

urlpatterns = [
    path("galleries/", views.GalleryListView.as_view(), name="galleries"),
    path("galleries/rss/", feeds.gallery_feed, name="gallery-feed"),
    path("galleries/<slug:slug>/", views.GalleryView.as_view(), name="gallery"),
    path("video/", views.VideoListView.as_view(), name="videos"),
]
