"""`manage.py backup` and `manage.py restore`: a round trip into a new database gives the same site.

The restore runs as ops run it, in its own process against a brand-new database
of the same kind as the test database (a SQLite file, or a PostgreSQL database
named after the test database with `_restore`), and the restored site is then
rendered and backed up again in that process to compare with the original.
"""

import io
import json
import os
import subprocess
import sys
import tarfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group, User
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone, translation
from PIL import Image

from core import editions
from news.models import Article, DailyViews, SiteSettings
from tests.builders import make_article, make_author, make_category, make_tag

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
RENDER = f"""
import sys, django
django.setup()
import time_machine
from datetime import datetime
from django.test import Client, override_settings
moment, out, urls = datetime.fromisoformat(sys.argv[1]), sys.argv[2], sys.argv[3:]
with time_machine.travel(moment, tick=False), override_settings(CACHES={NO_CACHE!r}):
    client = Client()
    for number, url in enumerate(urls):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        open(f"{{out}}-{{number}}.html", "wb").write(response.content)
"""


def jpeg(colour):
    buffer = io.BytesIO()
    Image.new("RGB", (800, 450), colour).save(buffer, "JPEG")
    return ContentFile(buffer.getvalue())


def newsroom():
    """Articles in every edition with images, an author with a photo, views, a chief editor."""
    category = make_category("politics", parent=make_category("news"))
    author = make_author("adlet", name="Adlet")
    author.photo.save("adlet.jpg", jpeg((90, 90, 200)))
    tags = [make_tag("senate"), make_tag("kk-only", codes=("kk", "kk-latn", "kk-arab"))]
    lead = make_article(
        "Senate", codes=editions.CODES, category=category, tags=tags, authors=[author]
    )
    lead.image.save("lead.jpg", jpeg((200, 30, 30)))
    lead.related.set([make_article("Earlier", codes=("en", "ru"), category=category)])
    make_article("Draft", status=Article.Status.DRAFT, category=category)
    DailyViews.objects.create(article=lead, edition="en", day=timezone.localdate(), count=12)
    SiteSettings.objects.create(phone="+7 700 000 00 00")
    chief = User.objects.create_user("chief", password="secret-password-1")
    chief.groups.add(Group.objects.get(name="Chief editor"))
    return lead, author


def reader_urls(article, author):
    urls = []
    for code in ("en", "kk-arab", "zh-hans"):
        with translation.override(code):
            urls += [article.get_absolute_url(), author.get_absolute_url()]
    return urls + ["/en/", "/en/rss/", "/sitemap-articles-ru.xml"]


def members(archive):
    with tarfile.open(archive) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}


@pytest.fixture
def target(tmp_path):
    """Environment for a process working on a brand-new database of the test database's kind."""
    # The restored site is a database of its own: no shared cache, and no read replica
    # (CI's replica streams the test database, not this one).
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_REPLICA_URL")}
    env["MEDIA_ROOT"] = str(tmp_path / "restored-media")
    if connection.vendor == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        yield env
        return
    import psycopg

    params = connection.settings_dict
    name = f"{params['NAME']}_restore"
    admin = psycopg.connect(
        dbname="postgres",
        user=params["USER"],
        password=params["PASSWORD"] or None,
        host=params["HOST"],
        port=params["PORT"] or 5432,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    password = f":{params['PASSWORD']}" if params["PASSWORD"] else ""
    env["DATABASE_URL"] = (
        f"postgres://{params['USER']}{password}@{params['HOST']}:{params['PORT'] or 5432}/{name}"
    )
    yield env
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_round_trip_gives_the_same_rows_files_and_pages_byte_for_byte(settings, tmp_path, target):
    article, author = newsroom()
    moment = (timezone.now() + timedelta(minutes=5)).replace(microsecond=0)
    urls = reader_urls(article, author)
    import time_machine

    with time_machine.travel(moment, tick=False), override_settings(CACHES=NO_CACHE):
        before = [Client().get(url) for url in urls]
    assert [r.status_code for r in before] == [200] * len(urls)

    archive = tmp_path / "site.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO(), stderr=io.StringIO())

    restored = manage(target, "restore", str(archive))
    assert restored.returncode == 0, restored.stderr
    assert "Restored" in restored.stdout

    # The restored site, backed up again, holds exactly the same rows and files.
    again = tmp_path / "again.tar.gz"
    result = manage(target, "backup", str(again))
    assert result.returncode == 0, result.stderr
    first, second = members(archive), members(again)
    assert sorted(first) == sorted(second)
    for name in first:
        if name != "manifest.json":
            assert first[name] == second[name], name
    manifest, manifest_again = (json.loads(m["manifest.json"]) for m in (first, second))
    assert manifest["models"] == manifest_again["models"]
    assert manifest["media"] == manifest_again["media"]
    assert manifest["models"]["news.article"]["rows"] == Article.objects.count() == 3
    assert manifest["models"]["auth.user"]["rows"] == 1
    assert any(name.startswith("authors/") for name in manifest["media"])
    restored_media = Path(target["MEDIA_ROOT"])
    for name, entry in manifest["media"].items():
        assert (restored_media / name).stat().st_size == entry["bytes"]
    original = Path(article.image.path).read_bytes()
    assert (restored_media / article.image.name).read_bytes() == original

    # And readers get the same pages, byte for byte.
    out = tmp_path / "page"
    script = tmp_path / "render.py"
    script.write_text(RENDER)
    env = {**target, "DJANGO_SETTINGS_MODULE": "portal.settings", "PYTHONPATH": str(ROOT)}
    rendered = subprocess.run(
        [sys.executable, str(script), moment.isoformat(), str(out), *urls],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert rendered.returncode == 0, rendered.stderr
    for number, (url, response) in enumerate(zip(urls, before, strict=True)):
        assert Path(f"{out}-{number}.html").read_bytes() == response.content, url


def test_restore_refuses_a_database_that_holds_content(tmp_path):
    make_article()
    archive = tmp_path / "site.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO(), stderr=io.StringIO())
    make_article("Written after the backup")
    with pytest.raises(CommandError, match="not empty.*--force") as refused:
        call_command("restore", str(archive), stdout=io.StringIO(), stderr=io.StringIO())
    assert refused.value.returncode == 2
    assert Article.objects.count() == 2


def test_restore_with_force_replaces_everything(tmp_path):
    kept = make_article()
    archive = tmp_path / "site.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO(), stderr=io.StringIO())
    make_article("Written after the backup")
    call_command("restore", str(archive), "--force", stdout=io.StringIO(), stderr=io.StringIO())
    assert list(Article.objects.values_list("pk", "title_en")) == [(kept.pk, kept.title_en)]
    assert Group.objects.filter(name="Editor").exists()


def test_times_come_back_to_the_microsecond(tmp_path):
    # Django's own encoder writes milliseconds: 14:05:07.000400 came back as 14:05:07.
    moment = timezone.now().replace(microsecond=400)
    kept = make_article(published_at=moment - timedelta(hours=1, microseconds=-89))
    Article.objects.filter(pk=kept.pk).update(updated_at=moment)
    archive = tmp_path / "site.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO(), stderr=io.StringIO())
    make_article("Written after the backup")
    call_command("restore", str(archive), "--force", stdout=io.StringIO(), stderr=io.StringIO())
    restored = Article.objects.get()
    assert restored.published_at == kept.published_at and restored.published_at.microsecond == 489
    assert restored.updated_at == moment


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # cut short
        lambda data: b"not an archive",
    ],
    ids=["truncated", "garbage"],
)
def test_restore_refuses_a_damaged_archive_and_changes_nothing(tmp_path, damage):
    make_article()
    archive = tmp_path / "site.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO(), stderr=io.StringIO())
    archive.write_bytes(damage(archive.read_bytes()))
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(archive), "--force", stdout=io.StringIO(), stderr=io.StringIO())
    assert refused.value.returncode == 2
    assert Article.objects.count() == 1


def test_an_archive_with_paths_outside_its_folders_is_refused(tmp_path):
    archive = tmp_path / "evil.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        info = tarfile.TarInfo("media/../../outside.txt")
        info.size = 3
        tar.addfile(info, io.BytesIO(b"bad"))
    with pytest.raises(CommandError, match="no backup makes") as refused:
        call_command("restore", str(archive), stdout=io.StringIO(), stderr=io.StringIO())
    assert refused.value.returncode == 2
    assert not (tmp_path.parent / "outside.txt").exists()


def test_backup_never_overwrites_an_archive(tmp_path):
    archive = tmp_path / "site.tar.gz"
    archive.write_bytes(b"yesterday's backup")
    with pytest.raises(CommandError, match="exists already") as refused:
        call_command("backup", str(archive), stdout=io.StringIO(), stderr=io.StringIO())
    assert refused.value.returncode == 2
    assert archive.read_bytes() == b"yesterday's backup"


def test_both_commands_explain_themselves():
    for command in ("backup", "restore"):
        result = subprocess.run(
            [sys.executable, "manage.py", command, "--help"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "DATABASE_URL": f"sqlite:///{django_settings.BASE_DIR}/unused"},
        )
        assert result.returncode == 0
        assert "Exit status" in result.stdout and "archive" in result.stdout
