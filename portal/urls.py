from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from portal import views

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("robots.txt", views.robots_txt, name="robots-txt"),
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("", include("news.urls")),
)

if settings.SERVE_MEDIA:
    # One-machine setups serve uploads themselves; production uses object storage.
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]

handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
