from django.urls import path

from live import views

app_name = "live"

urlpatterns = [
    path("article/<int:pk>/live/", views.LiveUpdatesView.as_view(), name="updates"),
]
