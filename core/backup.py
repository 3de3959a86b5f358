"""Backup and restore of the whole site: every model's rows and every media file, in one tar.gz.

The archive holds
  db/<NN>-<app.model>.jsonl  each model's rows, in Django's serialization (JSON lines),
                             in dependency order, users and groups by natural key;
  media/<name>               every file of the default storage;
  manifest.json              format, migrations, row counts and media checksums.

Content types and permissions are left out (migrations make them, and rows refer
to them by natural key), and so are sessions (signing in again is cheaper than
a leaked archive that holds live sessions).
"""

import hashlib
import io
import json
import os
import posixpath
import tarfile
import tempfile
from datetime import UTC, datetime, time
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.core import serializers
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, router, transaction
from django.db.migrations.recorder import MigrationRecorder

from core.progress import Progress

FORMAT = "portal-backup"
VERSION = 1
# news.latestintag is derived: loading the articles' tags refills it (news.related).
# news.storedcensus is a count of the articles, made again when the sitemap asks.
LEFT_OUT = {
    "contenttypes.contenttype",
    "auth.permission",
    "sessions.session",
    "news.latestintag",
    "news.storedcensus",
}
# Models whose rows migrations create (the newsroom groups, the default cities, one
# front page per edition): restore replaces them, so a database holding only these
# counts as empty.
SEEDED = {"auth.group", "widgets.city", "frontpage.frontpage"}
CHUNK = 1024 * 1024


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder, but times keep their microseconds: Django's cuts them to
    milliseconds, so a row saved at 15:59:58.000400 came back at 15:59:58 (an order
    between two rows, or an archive of the restored site, could differ)."""

    def default(self, o):
        if isinstance(o, datetime | time) and o.microsecond:
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        return super().default(o)


class Refused(Exception):
    """Nothing was changed: the archive or the target is not what restore expects."""


class Failed(Exception):
    """Restore or backup could not finish."""


def backed_up_models(using="default"):
    """Concrete models with a table in `using`, in an order that loads (dependencies first)."""
    by_app = {}
    for model in apps.get_models():
        meta = model._meta
        if (
            meta.proxy
            or not meta.managed
            or meta.label_lower in LEFT_OUT
            or not router.allow_migrate_model(using, model)
        ):
            continue
        by_app.setdefault(meta.app_config, []).append(model)
    return serializers.sort_dependencies(by_app.items(), allow_cycles=True)


def applied_migrations(using="default"):
    recorder = MigrationRecorder(connections[using])
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def _media_names(storage, folder=""):
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield posixpath.join(folder, name) if folder else name
    for sub in sorted(folders):
        yield from _media_names(storage, posixpath.join(folder, sub) if folder else sub)


class _Hashing:
    """A file wrapper that hashes what is read through it."""

    def __init__(self, file):
        self.file = file
        self.sha256 = hashlib.sha256()

    def read(self, size=-1):
        data = self.file.read(size)
        self.sha256.update(data)
        return data


def _snapshot(connection, outermost):
    """Read every table at one instant while the site keeps writing."""
    if connection.vendor == "postgresql" and outermost:
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")


def backup(archive, stderr, using="default", storage=default_storage):
    """Write the database `using` and the media of `storage` to the tar.gz `archive`."""
    archive = Path(archive)
    if archive.exists():
        raise Refused(f"{archive} exists already; choose a new file name.")
    if not archive.parent.is_dir():
        raise Refused(f"{archive.parent} is not a folder.")
    models = backed_up_models(using)
    partial = archive.with_name(archive.name + ".partial")
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": connections[using].vendor,
        "migrations": applied_migrations(using),
        "models": {},
        "media": {},
    }
    try:
        with tempfile.TemporaryDirectory() as work, tarfile.open(partial, "w:gz") as tar:
            work = Path(work)
            # The database first, as one snapshot; media written after it only add
            # files no row names yet, which is harmless.
            outermost = not connections[using].in_atomic_block
            with transaction.atomic(using=using):
                _snapshot(connections[using], outermost)
                counts = {m: m._base_manager.using(using).count() for m in models}
                progress = Progress(stderr, sum(counts.values()), "database")
                for number, model in enumerate(models, 1):
                    label = model._meta.label_lower
                    path = work / f"{number:02d}-{label}.jsonl"
                    rows = model._base_manager.using(using).order_by(model._meta.pk.attname)
                    with path.open("w", encoding="utf-8") as stream:
                        serializers.serialize(
                            "jsonl",
                            _counted(rows.iterator(chunk_size=2000), progress),
                            stream=stream,
                            use_natural_foreign_keys=True,
                            use_natural_primary_keys=True,
                            cls=ExactJSONEncoder,
                        )
                    tar.add(path, arcname=f"db/{path.name}")
                    manifest["models"][label] = {"file": f"db/{path.name}", "rows": counts[model]}
            names = list(_media_names(storage))
            progress = Progress(stderr, len(names), "media")
            for name in names:
                info = tarfile.TarInfo(f"media/{name}")
                info.size = storage.size(name)
                info.mtime = int(datetime.now(UTC).timestamp())
                with storage.open(name, "rb") as file:
                    reader = _Hashing(file)
                    tar.addfile(info, reader)
                manifest["media"][name] = {"bytes": info.size, "sha256": reader.sha256.hexdigest()}
                progress.advance()
            data = json.dumps(manifest, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            info.mtime = int(datetime.now(UTC).timestamp())
            tar.addfile(info, io.BytesIO(data))
        os.replace(partial, archive)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return manifest


def _counted(rows, progress):
    for row in rows:
        yield row
        progress.advance()


# --- Restore ------------------------------------------------------------------


def _unpack(archive, work):
    """Unpack `archive` into `work` safely and return its manifest."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar.getmembers():
                path = PurePosixPath(member.name)
                if (
                    not member.isfile()
                    or path.is_absolute()
                    or ".." in path.parts
                    or path.parts[0] not in ("db", "media", "manifest.json")
                ):
                    raise Refused(f"The archive holds {member.name!r}, which no backup makes.")
            tar.extractall(work, filter="data")
    except (tarfile.TarError, EOFError, OSError) as error:
        raise Refused(f"{archive} is not a readable backup archive ({error}).") from error
    try:
        manifest = json.loads((work / "manifest.json").read_text())
    except (OSError, ValueError) as error:
        raise Refused(f"{archive} has no readable manifest.json: not a backup.") from error
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise Refused(f"{archive} is not a backup of format {FORMAT} {VERSION}.")
    return manifest


def _verify_media(manifest, work):
    for name, expected in manifest["media"].items():
        path = work / "media" / name
        if not path.is_file():
            raise Refused(f"The archive lacks the media file {name}.")
        digest = hashlib.sha256()
        with path.open("rb") as file:
            while chunk := file.read(CHUNK):
                digest.update(chunk)
        if digest.hexdigest() != expected["sha256"]:
            raise Refused(f"The media file {name} in the archive is damaged.")


def rows_in_the_way(using="default"):
    """{label: rows} of the models holding rows a restore would replace, beyond seeded ones."""
    found = {}
    for model in backed_up_models(using):
        label = model._meta.label_lower
        if label not in SEEDED and model._base_manager.using(using).exists():
            found[label] = model._base_manager.using(using).count()
    return found


def restore(archive, stderr, using="default", storage=default_storage, force=False):
    """Load the archive into the database `using` (migrated first) and its media into `storage`."""
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        manifest = _unpack(archive, work)
        # A new database gets its tables; an existing one is brought up to this code.
        call_command("migrate", database=using, interactive=False, verbosity=0)
        code = set(applied_migrations(using))
        if set(manifest["migrations"]) != code:
            newer = sorted(set(manifest["migrations"]) - code)
            older = sorted(code - set(manifest["migrations"]))
            raise Refused(
                "The archive was made with other migrations than this code has "
                f"(only in the archive: {newer or 'none'}; only here: {older or 'none'}). "
                "Restore with the release that made the backup, then upgrade with migrate."
            )
        models = {model._meta.label_lower: model for model in backed_up_models(using)}
        unknown = sorted(set(manifest["models"]) - set(models))
        if unknown:
            raise Refused(f"The archive holds models this code does not have: {unknown}.")
        in_the_way = rows_in_the_way(using)
        if in_the_way and not force:
            listed = ", ".join(f"{label} ({rows})" for label, rows in sorted(in_the_way.items()))
            raise Refused(
                f"The database is not empty: {listed}. Restore into an empty database, "
                "or pass --force to replace everything in it."
            )
        _verify_media(manifest, work)

        # Media first: saving articles reads their images' sizes.
        names = sorted(manifest["media"])
        progress = Progress(stderr, len(names), "media")
        for name in names:
            _restore_file(storage, name, work / "media" / name, manifest["media"][name])
            progress.advance()

        total = sum(entry["rows"] for entry in manifest["models"].values())
        progress = Progress(stderr, total, "database")
        connection = connections[using]
        with transaction.atomic(using=using):
            _empty_every_table(connection, using)
            loaded = set()
            deferred = []
            with connection.constraint_checks_disabled():
                for label, entry in manifest["models"].items():
                    with (work / entry["file"]).open(encoding="utf-8") as stream:
                        for item in serializers.deserialize(
                            "jsonl", stream, using=using, handle_forward_references=True
                        ):
                            try:
                                item.save(using=using)
                            except Exception as error:
                                raise Failed(
                                    f"Could not load {label} row {item.object.pk}: {error}"
                                ) from error
                            loaded.add(type(item.object))
                            if item.deferred_fields:
                                deferred.append(item)
                            progress.advance()
                for item in deferred:
                    item.save_deferred_fields(using=using)
            connection.check_constraints(table_names=[m._meta.db_table for m in loaded])
            with connection.cursor() as cursor:
                for statement in connection.ops.sequence_reset_sql(no_style(), list(loaded)):
                    cursor.execute(statement)
            for label, entry in manifest["models"].items():
                count = models[label]._base_manager.using(using).count()
                if count != entry["rows"]:
                    raise Failed(f"{label}: {count} rows loaded, the archive has {entry['rows']}.")
    return manifest


def _empty_every_table(connection, using):
    """Delete every row (seeded ones and, with --force, everything) and remake what
    migrations' post_migrate handlers make (content types, permissions)."""
    from django.core.management.sql import emit_post_migrate_signal, sql_flush

    statements = sql_flush(no_style(), connection, reset_sequences=True, allow_cascade=False)
    if connection.vendor == "postgresql":
        # TRUNCATE refuses tables with deferred checks pending from earlier in
        # the transaction (when called inside one): run them, then defer again
        # so that rows may be loaded in any order.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        connection.ops.execute_sql_flush(statements)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    else:
        connection.ops.execute_sql_flush(statements)
    emit_post_migrate_signal(verbosity=0, interactive=False, db=using)


def _restore_file(storage, name, source, expected):
    if storage.exists(name):
        with storage.open(name, "rb") as current:
            digest = hashlib.sha256()
            while chunk := current.read(CHUNK):
                digest.update(chunk)
        if digest.hexdigest() == expected["sha256"]:
            return
        storage.delete(name)
    with source.open("rb") as file:
        stored = storage.save(name, File(file, name=posixpath.basename(name)))
    if stored != name:
        storage.delete(stored)
        raise Failed(f"The storage kept {name} as {stored}; media names must not change.")
