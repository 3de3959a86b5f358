"""Load the demo gallery and video onto the demo articles (run load_demo first).

Idempotent: galleries are found again by slug, their photos by position and
videos by their article, and pictures are drawn only where none is stored yet.
"""

from datetime import timedelta
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from multimedia import embeds
from multimedia.models import Gallery, Photo, Status, Video
from news.demo.images import lead_image
from news.demo.loader import demo_article, read_content, translated

CONTENT = Path(__file__).resolve().parents[2] / "demo" / "content.json"


def draw(field, name, seed, scene):
    # A named file, so that Django reads its width and height.
    field.save(name, ContentFile(lead_image(seed, scene), name=name), save=False)


class Command(BaseCommand):
    help = "Load the demo photo gallery and video (after load_demo, which makes their articles)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--file", type=Path, default=CONTENT, help="demo content JSON (default: %(default)s)"
        )

    def handle(self, *args, **options):
        path = options["file"]
        content = read_content(path)
        try:
            # One transaction: an interrupted load leaves the database as it was.
            with transaction.atomic():
                galleries = [self.load_gallery(item) for item in content["galleries"]]
                videos = [self.load_video(item) for item in content["videos"]]
        except (KeyError, TypeError, ValueError) as error:
            raise CommandError(f"{path}: malformed demo content ({error!r})") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo multimedia ready: {len(galleries)} galleries "
                f"({sum(galleries)} photos), {len(videos)} videos."
            )
        )

    def load_gallery(self, item):
        fields = {
            "status": Status.PUBLISHED,
            "article": demo_article(item["article"]) if item.get("article") else None,
            **translated("title", item["title"]),
            **translated("description", item.get("description", {})),
        }
        gallery, _ = Gallery.objects.update_or_create(
            slug=item["slug"],
            defaults=fields,
            # Only a new gallery gets a publish time: loading again keeps the first one.
            create_defaults={
                **fields,
                "published_at": timezone.now() - timedelta(hours=item["published_hours_ago"]),
            },
        )
        credit = item.get("credit", {})
        for position, entry in enumerate(item["photos"]):
            photo = Photo.objects.filter(gallery=gallery, position=position).first() or Photo(
                gallery=gallery, position=position
            )
            texts = {
                **translated("caption", entry["caption"]),
                **translated("credit", entry.get("credit", credit)),
                **translated("alt", entry["alt"]),
            }
            for name, value in texts.items():
                setattr(photo, name, value)
            if not photo.image:
                draw(photo.image, f"{gallery.slug}-{position}.jpg", entry["seed"], entry["scene"])
            photo.save()
        # Photos beyond the file's list are from an older demo file: they go.
        gallery.photos.filter(position__gte=len(item["photos"])).delete()
        return len(item["photos"])

    def load_video(self, item):
        article = demo_article(item["article"])
        parsed = embeds.parse(item["address"])
        if parsed is None:
            raise CommandError(f"{item['address']} is not on an allowed video host")
        video = Video.objects.filter(article=article).first() or Video(article=article)
        video.provider, video.video_id = parsed
        video.file = ""
        seconds = item.get("duration_seconds")
        video.duration = timedelta(seconds=seconds) if seconds else None
        if not video.poster:
            name = f"{article.slug}-poster.jpg"
            draw(video.poster, name, item["poster_seed"], item["poster_scene"])
        video.save()
        return video
