"""Uploaded media are served as inert files, and uploaders never choose where they go."""

import pytest

from news.images import article_image_path


@pytest.fixture
def media(settings):
    root = settings.MEDIA_ROOT
    (root / "articles").mkdir(parents=True)
    files = {
        "articles/photo.jpg": b"\xff\xd8\xff\xe0 not really a jpeg",
        "articles/page.html": b"<script>alert(document.cookie)</script>",
        "articles/icon.svg": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        "articles/notes.txt": b"<html><script>alert(1)</script>",
    }
    for name, content in files.items():
        (root / name).write_bytes(content)
    return root


def test_images_are_shown_inline_and_never_sniffed(client, media):
    response = client.get("/media/articles/photo.jpg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" not in response.get("Content-Disposition", "")
    assert response["Content-Security-Policy"] == "default-src 'none'"


@pytest.mark.parametrize("name", ["page.html", "icon.svg", "notes.txt"])
def test_active_or_unknown_files_are_downloads_in_a_sandbox(client, media, name):
    response = client.get(f"/media/articles/{name}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == "attachment"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


@pytest.mark.parametrize(
    "path", ["../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "/etc/passwd", "articles/.secret"]
)
@pytest.mark.django_db
def test_paths_outside_media_or_hidden_are_refused(client, media, path):
    (media / "articles" / ".secret").write_text("x")
    assert client.get(f"/media/{path}").status_code in (400, 404)


@pytest.mark.parametrize(
    "uploaded",
    [
        "../../portal/settings.py",
        "/etc/cron.d/evil.jpg",
        "..\\..\\evil.png",
        "photo.jpg.html",
        "шапка фото.JPG",
        "x" * 500 + ".webp",
        "",
    ],
)
def test_uploaded_file_names_never_choose_the_path(uploaded):
    path = article_image_path(None, uploaded)
    directory, name = path.rsplit("/", 1)
    assert directory.startswith("articles/") and ".." not in path
    stem, extension = name.split(".")
    assert len(stem) == 32 and int(stem, 16) >= 0  # a random hex name
    assert extension in ("jpg", "png", "webp")
