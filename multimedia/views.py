from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import DetailView, ListView

from core.cache import PublicPageCacheMixin
from core.site import absolute_url
from multimedia.models import Gallery, Photo
from news.models import Article
from news.pagination import ArchivePaginator
from news.views import PAGE_SIZE, EditionMixin, edition_urls


def with_covers(galleries):
    """The galleries, each with `cover`: its first photo (one query for all of them)."""
    galleries = list(galleries)
    covers = Photo.objects.in_bulk([g.cover_id for g in galleries if g.cover_id])
    for gallery in galleries:
        gallery.cover = covers.get(gallery.cover_id)
    return galleries


class GalleryListView(PublicPageCacheMixin, EditionMixin, ListView):
    template_name = "multimedia/gallery_list.html"
    context_object_name = "galleries"
    paginate_by = PAGE_SIZE
    paginator_class = ArchivePaginator

    def get_queryset(self):
        return Gallery.objects.for_readers().with_cover_id().newest_first()

    def get_edition_urls(self):
        return edition_urls(lambda: reverse("multimedia:galleries"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["galleries"] = with_covers(context["galleries"])
        context["feed_url"] = absolute_url(reverse("multimedia:gallery-feed"))
        return context


class GalleryView(PublicPageCacheMixin, EditionMixin, DetailView):
    template_name = "multimedia/gallery.html"
    context_object_name = "gallery"

    def get_object(self, queryset=None):
        return get_object_or_404(
            Gallery.objects.for_readers()
            .with_edition_flags()
            .select_related("article")
            .with_photos(),
            slug=self.kwargs["slug"],
        )

    def get_edition_urls(self):
        return edition_urls(self.object.get_absolute_url, self.object.editions())

    def get_context_data(self, **kwargs):
        gallery = self.object
        article = gallery.article
        # The article is linked only where readers of this edition can open it.
        if article is not None and not (
            Article.objects.for_readers().filter(pk=article.pk).exists()
        ):
            article = None
        return super().get_context_data(
            photos=list(gallery.photos.all()), gallery_article=article, **kwargs
        )


class VideoListView(PublicPageCacheMixin, EditionMixin, ListView):
    """The edition's articles that carry a video, newest first."""

    template_name = "multimedia/video_list.html"
    context_object_name = "articles"
    paginate_by = PAGE_SIZE
    paginator_class = ArchivePaginator

    def get_queryset(self):
        return (
            Article.objects.for_readers()
            .filter(video__isnull=False)
            .select_related("category", "video")
            .newest_first()
        )

    def get_edition_urls(self):
        return edition_urls(lambda: reverse("multimedia:videos"))
