from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path

from core import security
from news import sitemaps
from portal import views

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("healthz", views.healthz, name="healthz"),
    *(
        path(name, views.root_icon, {"name": name}, name=f"root-icon-{name}")
        for name in views.ROOT_ICONS
    ),
    path(".well-known/security.txt", views.security_txt_view, name="security-txt"),
    path("sitemap.xml", sitemaps.index, name="sitemap-index"),
    path("sitemap-<str:section>.xml", sitemaps.section, name="sitemap-section"),
    path("news-sitemap.xml", sitemaps.news_index, name="news-sitemap"),
    path("news-sitemap-<str:section>.xml", sitemaps.news_section, name="news-sitemap-section"),
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("", include("news.urls")),
    path("", include("live.urls")),
    path("", include("multimedia.urls")),
)

if settings.SERVE_MEDIA:
    # One-machine setups serve uploads themselves; production uses object storage.
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", security.serve_media),
    ]

handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
