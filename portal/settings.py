"""Settings for the portal, read from the environment.

Every value that differs between a laptop, CI and production comes from an
environment variable through the small helpers below, which fail loudly on a
value they cannot read rather than guessing.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured
from js_asset import static_lazy

from core import editions

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {value!r}"
    )


def envint(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {value!r}") from None


def envlist(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = envbool("DEBUG", False)

INSECURE_KEY_PREFIX = "django-insecure-"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
# `make run` writes a random key once into this git-ignored file.
SECRET_KEY_FILE = Path(os.environ.get("SECRET_KEY_FILE") or BASE_DIR / ".secret_key")
if not SECRET_KEY and SECRET_KEY_FILE.is_file():
    SECRET_KEY = SECRET_KEY_FILE.read_text().strip()
if not SECRET_KEY and DEBUG:
    SECRET_KEY = INSECURE_KEY_PREFIX + "local-development-only"
if not DEBUG and (
    len(SECRET_KEY) < 50 or SECRET_KEY.startswith(INSECURE_KEY_PREFIX) or len(set(SECRET_KEY)) < 5
):
    raise ImproperlyConfigured(
        "With DEBUG off, SECRET_KEY must be set to a random value of at least 50 characters "
        "(`make run` generates one into .secret_key)."
    )

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # modeltranslation must come before the admin to patch its forms.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Revision history of articles, with restore from the admin.
    "reversion",
    # Rich-text editor for article bodies; ships its JavaScript in the package.
    "django_prose_editor",
    # Content-Security-Policy header (core.security adds the admin's import maps).
    "csp",
    # Locks out repeated failed sign-ins (settings under "Security" below).
    "axes",
    "core",
    "news",
    "widgets",
    # Live coverage: timestamped entries under an article (above news: imports it).
    "live",
    # Photo galleries and video (own app: the news app needs no migration for them).
    "multimedia",
    # The chief editor's front page per edition: top story, pinned stories, breaking news.
    "frontpage",
    # Presence, save notices and autosave in the article form (own app label:
    # its rows never touch the readers' content generation).
    "coediting",
]

# The body editor's picture button (news/body_images.py): a Tiptap extension module of
# ours that django-prose-editor's configurable preset loads; the markup it produces is
# allowed by news/sanitize.py, which cleans every body.
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [static_lazy("news/body-image.js")],
        "extensions": {"BodyImage": "news.sanitize.body_image_allowlist"},
    }
]

MIDDLEWARE = [
    # Outermost: a database that cannot be reached becomes a short 503 page.
    "core.security.DatabaseUnavailableMiddleware",
    # With DATABASE_REPLICA_URL: which requests may read the replica (core.db_router).
    "core.db_router.ReplicaReadsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "core.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions, CSRF and sign-in: a cached page for a reader without a session
    # cookie is answered at once (core.cache).
    "core.cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out sign-in is refused before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.edition",
            ],
            # {% load i18n %}: Django's tags, with fixed texts worked out once per worker.
            "libraries": {"i18n": "core.templatetags.kept_i18n"},
        },
    },
]


def _postgresql_options(database):
    """PostgreSQL: values bound by the server, so that every run of one kind of query
    sends one text, which psycopg prepares on its connection at its fifth run (Django
    turns this off for connection poolers, which this site does not use); PostgreSQL
    then runs it on a kept plan. At a million articles, planning an article page's
    queries took several times as long as running them. DB_PREPARED_PLANS=0 turns it
    off behind a pooler that cannot keep prepared statements (PgBouncer before 1.21).

    And no JIT compilation: PostgreSQL compiles a query it guesses costly at every
    run, kept plan or not, and the guess is often wrong here: 100–900 ms compiling
    for a query that runs in 70 ms (a deep tag page, at a million articles)."""
    if database["ENGINE"] != "django.db.backends.postgresql":
        return database
    # Django's, with a health check that needs no round trip (core.db.postgresql).
    database["ENGINE"] = "core.db.postgresql"
    options = database.setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()
    if envbool("DB_PREPARED_PLANS", True):
        options.update(server_side_binding=True, prepare_threshold=5)
    return database


DATABASES = {
    "default": _postgresql_options(
        dj_database_url.parse(
            os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
            conn_max_age=envint("DB_CONN_MAX_AGE", 60),
            conn_health_checks=True,
        )
    )
}

if os.environ.get("DATABASE_REPLICA_URL"):
    # Reader pages read from a streaming replica; writes, the admin, sign-in and
    # sessions use the primary, and so does a client for a while after it wrote.
    DATABASES["replica"] = _postgresql_options(
        dj_database_url.parse(
            os.environ["DATABASE_REPLICA_URL"],
            conn_max_age=envint("DB_CONN_MAX_AGE", 60),
            conn_health_checks=True,
            # Tests: no test database is created on the replica (it cannot write); the
            # one created on the primary streams to it. Django swaps in only its NAME,
            # so the alias still points at the replica's server.
            test_options={"MIRROR": "default"},
        )
    )
    DATABASE_ROUTERS = ["core.db_router.ReplicaRouter"]
    READ_YOUR_WRITES_SECONDS = envint("READ_YOUR_WRITES_SECONDS", 120)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# An index's included columns (news.Article's covering index) are PostgreSQL's, where a
# million articles need them; SQLite builds the same index without them, as it should.
# "i18n" names two tag libraries on purpose: TEMPLATES maps it to Django's tags with
# fixed texts kept (core/templatetags/kept_i18n.py).
SILENCED_SYSTEM_CHECKS = ["models.W040", "templates.W003"]

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "portal"),
            # A slow or unreachable Redis must not hold up pages: fail fast,
            # and core.cache serves without caching.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    # Without Redis, files every process of the machine shares (gunicorn workers
    # and the fetch commands run from cron alike), so an edit or a fetch starts
    # a new content generation that all of them see on their next request.
    CACHE_DIR = Path(os.environ.get("CACHE_DIR") or "var/cache")
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(CACHE_DIR if CACHE_DIR.is_absolute() else BASE_DIR / CACHE_DIR),
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "portal"),
            "OPTIONS": {"MAX_ENTRIES": envint("CACHE_MAX_ENTRIES", 5000)},
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Editions -------------------------------------------------------------

LANG_INFO.update(
    {
        edition.code: {
            "bidi": edition.bidi,
            "code": edition.code,
            "name": edition.name_en,
            "name_local": edition.name_local,
        }
        for edition in editions.EDITIONS
        if edition.code not in LANG_INFO
    }
)
LANGUAGE_CODE = editions.DEFAULT
LANGUAGES = [(edition.code, edition.name_local) for edition in editions.EDITIONS]
# No LANGUAGES_BIDI: Django's get_language_bidi() compares only the part before
# the hyphen ("kk"), so it cannot tell kk-arab from kk; templates read
# `edition.bidi` (core/editions.py) instead.
# The project's own catalogs first (they win), then complete catalogs of Django's
# admin for every edition language (`manage.py build_admin_catalogs`).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "django"]
FORMAT_MODULE_PATH = ["portal.formats"]
USE_I18N = True

MODELTRANSLATION_DEFAULT_LANGUAGE = editions.DEFAULT
MODELTRANSLATION_LANGUAGES = editions.CODES
# An article belongs only to the editions it is written in: never show
# another edition's text in its place.
MODELTRANSLATION_FALLBACK_LANGUAGES = ()
MODELTRANSLATION_ENABLE_FALLBACKS = False
MODELTRANSLATION_BUILD_LOCALIZED_VERBOSE_NAME = editions.field_label
# modeltranslation reads this name as it is; the default points to a CDN.
JQUERY_UI_URL = "jquery-ui/jquery-ui.min.js"

TIME_ZONE = "Asia/Almaty"
USE_TZ = True

# --- Static and media -----------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    # jQuery UI for modeltranslation's edition tabs, served by us rather than from a CDN.
    "news.staticfinders.JQueryUIFinder",
]
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "media")
# Serve media from the app itself (fine for one machine; production puts
# media on object storage, see docs/deployment.md).
SERVE_MEDIA = envbool("SERVE_MEDIA", True)

STORAGES = {
    # Media on S3-compatible object storage when a bucket is named (needs the
    # `s3` extra: pip install '.[s3]'); the local disk otherwise.
    "default": (
        {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": os.environ["MEDIA_BUCKET"],
                "endpoint_url": os.environ.get("MEDIA_ENDPOINT_URL") or None,
                "custom_domain": os.environ.get("MEDIA_CUSTOM_DOMAIN") or None,
                "file_overwrite": False,
                "querystring_auth": False,
                "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
            },
        }
        if os.environ.get("MEDIA_BUCKET")
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "core.staticfiles.RememberedStaticFilesStorage"
        )
    },
}

# --- Security -------------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# No script of ours reads these cookies (the admin's forms carry the CSRF token).
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
# The admin language an editor picks is kept across browser sessions.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
BEHIND_PROXY = envbool("BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp): scripts, styles and everything else only
# from this site, never inline. The JSON-LD blocks of article pages are data,
# not scripts, so the policy does not apply to them; the admin's rich-text
# editor's inline import map is allowed by its hash (core.security).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # data: for the small icons the admin's widgets draw.
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        # Uploaded video files (multimedia).
        "media-src": ["'self'"],
        "connect-src": ["'self'"],
        # The video players the body sanitizer lets editors embed (news/sanitize.py),
        # which are also the players of VIDEO_EMBED_PROVIDERS (multimedia), put in
        # the page only when the reader presses play.
        "frame-src": [
            "https://www.youtube.com",
            "https://www.youtube-nocookie.com",
            "https://player.vimeo.com",
        ],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if MEDIA_URL.startswith(("http://", "https://")):
    # Uploads served from object storage or a CDN of their own.
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(MEDIA_URL)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["media-src"].append(MEDIA_URL)

# Sign-in throttling (django-axes): after SIGNIN_FAILURE_LIMIT failed sign-ins
# the account (from anywhere) and the address (for any account) are refused for
# SIGNIN_LOCKOUT_MINUTES; every further try during the lockout restarts it.
AXES_FAILURE_LIMIT = envint("SIGNIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("SIGNIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# A successful sign-in forgets the earlier typos of that address and account.
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "core.security.lockout_response"
# Behind a proxy, the client is the address the proxy saw (never one the client claims).
AXES_CLIENT_IP_CALLABLE = "core.security.client_ip"
AXES_VERBOSE = False

# Where to report a vulnerability, published at /.well-known/security.txt
# (RFC 9116, core/security_txt.py): mailto:, https:// or tel: URIs, comma-separated.
# Unset, no security.txt is served. SECURITY_TXT_EXPIRES (ISO 8601, less than a
# year ahead) is required with it; `manage.py check` says when it runs out.
SECURITY_CONTACT = envlist("SECURITY_CONTACT", [])
SECURITY_TXT_EXPIRES = os.environ.get("SECURITY_TXT_EXPIRES", "")

# --- The portal -----------------------------------------------------------

# Public base URL for absolute links where no request is at hand.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# How many days the popular list looks back.
POPULAR_DAYS = envint("POPULAR_DAYS", 7)
# How far back the admin offers articles for the front page and breaking news.
FRONT_PAGE_RECENT_DAYS = envint("FRONT_PAGE_RECENT_DAYS", 30)
# Beacons one address may send per minute before getting 429 (a whole office or
# carrier may share one address; each reader still counts once a day per article).
VIEW_BEACONS_PER_MINUTE = envint("VIEW_BEACONS_PER_MINUTE", 120)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- Widgets ----------------------------------------------------------------

# The sources the fetch commands read (tests point them at a local server).
RATES_FEED_URL = os.environ.get("RATES_FEED_URL") or "https://nationalbank.kz/rss/rates_all.xml"
WEATHER_API_URL = os.environ.get("WEATHER_API_URL") or "https://api.open-meteo.com/v1/forecast"
WIDGETS_HTTP_TIMEOUT = envint("WIDGETS_HTTP_TIMEOUT", 10)  # seconds per attempt
WIDGETS_HTTP_RETRIES = envint("WIDGETS_HTTP_RETRIES", 3)  # after the first attempt
# First pause before a retry; it doubles after each failed attempt.
WIDGETS_HTTP_BACKOFF_SECONDS = envint("WIDGETS_HTTP_BACKOFF_MS", 1000) / 1000

# --- Caching --------------------------------------------------------------

# How long readers' pages are kept (and CDNs may keep them). Edits show at
# once (they change the content generation); a scheduled article appears
# within this many seconds of its publish time (to readers who arrive while one
# request renders a page afresh, core.cache.STALE_SECONDS later at most).
PAGE_CACHE_SECONDS = envint("PAGE_CACHE_SECONDS", 60)
# How often a live article's page asks for new entries, and how long a CDN or
# browser may keep the answer (the feed also answers If-None-Match with 304).
LIVE_POLL_SECONDS = envint("LIVE_POLL_SECONDS", 30)
LIVE_FEED_MAX_AGE = envint("LIVE_FEED_MAX_AGE", 10)

# --- Video ------------------------------------------------------------------

# The largest video file editors may upload, in megabytes.
VIDEO_MAX_MB = envint("VIDEO_MAX_MB", 200)
# The hosts whose videos an article may embed. An editor pastes an address; it
# must match one of `patterns`, whose group `id` is all that is stored. The
# player address is built from `embed` only after the reader presses play, and
# its host must be in the frame-src of CONTENT_SECURITY_POLICY.
VIDEO_EMBED_PROVIDERS = {
    "youtube": {
        "name": "YouTube",
        "patterns": [
            r"^https?://(?:www\.|m\.)?youtube\.com/watch\?(?:[^#]*&)?v=(?P<id>[A-Za-z0-9_-]{11})(?:[&#]|$)",
            r"^https?://(?:www\.|m\.)?youtube\.com/(?:embed|shorts|live)/(?P<id>[A-Za-z0-9_-]{11})(?:[?/#]|$)",
            r"^https?://(?:www\.)?youtube-nocookie\.com/embed/(?P<id>[A-Za-z0-9_-]{11})(?:[?/#]|$)",
            r"^https?://youtu\.be/(?P<id>[A-Za-z0-9_-]{11})(?:[?/#]|$)",
        ],
        "embed": "https://www.youtube-nocookie.com/embed/{id}?autoplay=1",
        "watch": "https://www.youtube.com/watch?v={id}",
    },
    "vimeo": {
        "name": "Vimeo",
        "patterns": [
            r"^https?://(?:www\.)?vimeo\.com/(?P<id>[0-9]{1,12})(?:[?/#]|$)",
            r"^https?://player\.vimeo\.com/video/(?P<id>[0-9]{1,12})(?:[?/#]|$)",
        ],
        "embed": "https://player.vimeo.com/video/{id}?autoplay=1",
        "watch": "https://vimeo.com/{id}",
    },
}
