"""Settings shared by every environment; each environment module refines these."""

import os
from datetime import timedelta
from pathlib import Path

from django.utils.translation import gettext_lazy as _

import dj_database_url

from .env import env_base_url, env_bool, env_list
from .logs import logging_config
from .storage import media_storage

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

INSTALLED_APPS = [
    "site_config",
    "publications",
    "briefings.news",
    "briefings",
    "briefings.newsletter",
    "bulletins",
    "theme",
    "wagtail.contrib.settings",
    "wagtail_modeladmin",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.api.v2",
    "wagtail.contrib.redirects",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    # First: load balancers ask by address over HTTP (site_config/health.py).
    "site_config.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Above sessions and CSRF: it sees the cookies they set (site_config/caching.py).
    "site_config.caching.PublicCacheMiddleware",
    "site_config.middleware.ContentSecurityPolicyMiddleware",
    "site_config.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "site_config.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it turns a lock-out into the login page's message.
    "axes.middleware.AxesMiddleware",
]

# What browsers and shared caches may keep of an anonymous reader's page
# (site_config/caching.py): browsers check again after a minute; a front cache
# that is purged on publish (FRONTEND_CACHE_URL) keeps pages for a day, any
# other shared cache five minutes.
FRONTEND_CACHE_URL = os.environ.get("FRONTEND_CACHE_URL", "")
PUBLIC_CACHE_BROWSER_SECONDS = 60
PUBLIC_CACHE_SHARED_SECONDS = 24 * 60 * 60 if FRONTEND_CACHE_URL else 5 * 60
# The read-only API's answers are public too, but not purged on publish: shared
# caches keep them five minutes at most.
PUBLIC_CACHE_API_PATH = "/api/"
PUBLIC_CACHE_API_SHARED_SECONDS = min(PUBLIC_CACHE_SHARED_SECONDS, 5 * 60)
# Purged on publish, unpublish, move and delete (site_config/purge.py).
WAGTAILFRONTENDCACHE = (
    {
        "front": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": FRONTEND_CACHE_URL,
        }
    }
    if FRONTEND_CACHE_URL
    else {}
)
# Our purge lists name each language's URLs themselves.
WAGTAILFRONTENDCACHE_LANGUAGES: list[str] = []
PUBLIC_CACHE_EXCLUDED_PATHS = (
    "/admin/",
    "/django-admin/",
    "/documents/",
    "/media/",
    "/anymail/",
    "/healthz",
)

ROOT_URLCONF = "site_config.urls"
WSGI_APPLICATION = "site_config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]


def database_from_env() -> dict:
    """SQLite beside the code by default, tuned for a web process and a worker."""
    default_url = f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    config = dj_database_url.parse(
        os.environ.get("DATABASE_URL", "") or default_url, conn_max_age=60
    )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers and one writer work at once; IMMEDIATE takes the write
        # lock when a transaction starts, so two writers queue for up to `timeout`
        # seconds instead of failing with "database is locked" half-way through.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
        config["CONN_MAX_AGE"] = 0
    else:
        config["CONN_HEALTH_CHECKS"] = True
    return config


DATABASES = {"default": database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

# Security ---------------------------------------------------------------------
# Login throttling (django-axes) on every sign-in form: Wagtail's admin (staff
# and partners), Django's admin and Wagtail's login for private pages. Five
# failures for one username from one address lock that pair; the lock ends an
# hour after the last failure (a failure while locked restarts the hour), or
# sooner when someone with UNLOCK_PERMISSION unlocks it in Settings > Locked
# sign-ins (site_config/login_throttle.py). The same username from another
# address, and other usernames from the same address, are not locked, so a
# stranger cannot lock a partner out of the site by guessing at their username.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(hours=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The address behind the trusted proxies (TRUSTED_PROXY_COUNT), never a header
# the client writes: theme.client_address, through a wrapper for axes.
AXES_CLIENT_IP_CALLABLE = "site_config.login_throttle.sign_in_address"
AXES_LOCKOUT_CALLABLE = "site_config.login_throttle.lockout_response"
# Failures are kept an hour (then purged); successful sign-ins are not logged.
AXES_DISABLE_ACCESS_LOG = True

# Content-Security-Policy (django-csp, through site_config.middleware): public
# pages run no inline script or style and load everything from this site.
# Wagtail's admin gets its own policy, ADMIN_CONTENT_SECURITY_POLICY, the
# tightest that tests/e2e/test_content_security_policy.py finds it works with.
# An absolute MEDIA_URL (object storage) is added to img-src by the middleware.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "manifest-src": ["'self'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
    }
}
# Hosts whose maps and videos editors may embed in a page (theme/embeds.py):
# the institute's map server, YouTube and Vimeo. Nothing loads from them until
# the reader clicks; the public policy's frame-src names their frame origins
# (site_config.middleware) and no other.
EMBED_ALLOWED_HOSTS = env_list(
    "EMBED_ALLOWED_HOSTS",
    "ipisresearch.be,www.ipisresearch.be,"
    "www.youtube.com,youtube.com,youtu.be,vimeo.com,player.vimeo.com",
)
# Wagtail 8's admin writes inline scripts (InlinePanel, the date widgets, the
# multiple chooser panel) and its chooser modals run the scripts of the HTML they
# load: script-src needs 'unsafe-inline' there, and no more ('unsafe-eval' is
# not needed). Inline style attributes stay refused (the admin works without).
# Nothing from another origin, no plugins, no framing by other sites.
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": [
            "'self'",
            # The one <style> of the news inbox's summary preview
            # (briefings/news/wagtail_hooks.py): body{font:16px/1.5 sans-serif;...}
            "'sha256-g9rQcPepWeg+6G6Gyy0GGZZlBc/7h7zk0Goy64fRTT4='",
        ],
        # Upload previews are data: and blob: URLs.
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "manifest-src": ["'self'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}
# Paths that get the admin policy: Wagtail's admin and Django's.
ADMIN_CONTENT_SECURITY_POLICY_PATHS = ("/admin/", "/django-admin/")
# Browser features no page of the site uses, refused to every page and frame.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
# Staff email addresses are not sent (hashed) to Gravatar: the admin shows
# initials or an uploaded avatar instead.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Nor does the dashboard ask releases.wagtail.org for the latest version from
# each staff browser (the admin policy would block it anyway).
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Security headers Django sets everywhere (production adds HSTS):
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# End of security --------------------------------------------------------------

# Internationalisation: every public URL carries its language, content lives in
# one page tree per locale (Wagtail i18n), snippets are translatable.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("sw", _("Swahili")),
]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# One catalogue per language at the project root (not per app): one file for
# translators, one `make messages`; compiled by `make install` (.mo is ignored).
LOCALE_PATHS = [BASE_DIR / "locale"]
# Django has no Swahili date or number formats; ours are in site_config/formats/.
FORMAT_MODULE_PATH = ["site_config.formats"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
# Uploads on this disk (MEDIA_ROOT), or in a private S3-compatible bucket with
# MEDIA_STORAGE=s3 and AWS_STORAGE_BUCKET_NAME (site_config/settings/storage.py).
# Either way they are served only through the checks below.
STORAGES = {
    "default": media_storage(os.environ),
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploads are never served by their path alone (site_config/media.py): images
# and renditions through a view that checks their collection's restrictions,
# documents only through Wagtail's serve view, which checks them too.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Wagtail's document view sends the file through this module's `sendfile`.
SENDFILE_BACKEND = "site_config.media"
# The proxy's `internal` location that serves MEDIA_ROOT (deploy/nginx.conf):
# once a file is allowed, Django answers with X-Accel-Redirect to it and the
# proxy sends the bytes. Empty: Django streams the file itself.
MEDIA_ACCEL_REDIRECT_LOCATION = os.environ.get("MEDIA_ACCEL_REDIRECT_LOCATION", "")

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if redis_url := os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
        }
    }

# Background work runs through django-tasks. Immediate by default (nothing to
# start); production switches to the database queue served by `db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Who the digests' emails name as their sender (briefings/email/identity.py).
BRIEFINGS_SITE_IDENTITY = "site_config.identity.site_identity"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "info@example.org")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = "International Peace Information Service"
# The site's one public address, scheme://host[:port] (theme/address.py): every
# absolute link in pages, feeds, the sitemap, robots.txt, citations and emails is
# built on it, whatever host a request came in on. `make run` sets it from PORT.
BASE_URL = env_base_url(default="http://127.0.0.1:8000")
WAGTAILADMIN_BASE_URL = BASE_URL
# Wagtail's database backend; on PostgreSQL each page is indexed with the
# text-search configuration of its language (theme/fulltext/backend.py).
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "theme.fulltext.backend"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 50 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "avif"]
WAGTAIL_PASSWORD_RESET_ENABLED = True
WAGTAILADMIN_PERMITTED_LANGUAGES = [("en", "English"), ("fr", "Français")]

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
# How many reverse proxies in front of the site append to X-Forwarded-For; the
# client's address is read from there (theme/client_address.py). 0: no proxy,
# the connecting address is the client's and the header is ignored.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Everything to stderr: readable text here, one JSON object per line with
# LOG_FORMAT=json (production's default); see site_config/settings/logs.py.
LOGGING = logging_config(os.environ.get("LOG_FORMAT", "text"))

# The Wagtail API v2 at /api/v2/ is read-only and public: no authentication, so
# a signed-in editor's session never changes what it returns. (Wagtail's admin
# API sets its own session authentication.)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
}
WAGTAILAPI_LIMIT_MAX = 50

# News ingestion ---------------------------------------------------------------
# Feeds are fetched by one guarded client (briefings/news/ingest/fetch.py). It only
# connects to public addresses; an address inside one of these networks (CIDR
# notation, e.g. "127.0.0.1/32") is allowed anyway. Production allows none: dev
# and test settings add the loopback server they use.
FEEDS_ALLOWED_NETWORKS: list[str] = []
# Serve the demo news feeds at /demo-feeds/<file> (briefings/news/views.py), so
# the demo sources can be fetched from the running site. Development only.
NEWS_DEMO_FEEDS_SERVED = False
FEEDS_USER_AGENT = os.environ.get(
    "FEEDS_USER_AGENT",
    f"InstituteNewsReader/1.0 (+{WAGTAILADMIN_BASE_URL}; news inbox of "
    f"{WAGTAIL_SITE_NAME})",
)
FEEDS_CONNECT_TIMEOUT = 10  # seconds to open a connection
FEEDS_TOTAL_TIMEOUT = 30  # seconds for a whole fetch, redirects included
FEEDS_MAX_REDIRECTS = 5
FEEDS_MAX_BYTES = 5 * 1024 * 1024  # body size cap, counted after decompression
# One feed document's work is bounded: the parser process is killed after
# FEEDS_PARSE_TIMEOUT seconds, and during ingestion summaries are cleaned as
# HTML only until the same moment (later ones are kept as plain text).
FEEDS_PARSE_TIMEOUT = 5
FEEDS_PARSE_MAX_MEMORY = 1024 * 1024 * 1024  # address space of the parser process
FEEDS_MAX_ENTRIES = 500  # newest entries kept from one feed document
FEEDS_MAX_SUMMARY_CHARS = 10_000  # of one entry's HTML, before cleaning
FEEDS_CLEAN_BUDGET = 5  # seconds of HTML cleaning when a feed is stored alone
FEEDS_BACKOFF_BASE = 15 * 60  # seconds after the first failure, doubling
FEEDS_BACKOFF_MAX = 24 * 60 * 60  # the longest wait between two attempts
FEEDS_RETRY_AFTER_MAX = 7 * 24 * 60 * 60  # longest Retry-After honoured
# End of news ingestion --------------------------------------------------------

# Sending ----------------------------------------------------------------------
# The newsletter sends through EMAIL_BACKEND: SMTP by default, or an email
# provider through django-anymail, e.g. EMAIL_BACKEND=
# "anymail.backends.postmark.EmailBackend" (production reads EMAIL_BACKEND from
# the environment). Anymail's settings come from environment variables named
# ANYMAIL_<SETTING>: ANYMAIL_POSTMARK_SERVER_TOKEN, ANYMAIL_MAILGUN_API_KEY,
# ANYMAIL_MAILGUN_WEBHOOK_SIGNING_KEY, ANYMAIL_SENDGRID_API_KEY… (strings), and
# ANYMAIL_WEBHOOK_SECRET, the "user:password" the provider's webhooks must send
# (comma-separated to accept several while rotating).
INSTALLED_APPS = [*INSTALLED_APPS, "anymail"]
ANYMAIL = {
    name.removeprefix("ANYMAIL_"): value
    for name, value in os.environ.items()
    if name.startswith("ANYMAIL_")
}
if ANYMAIL.get("WEBHOOK_SECRET"):
    ANYMAIL["WEBHOOK_SECRET"] = ANYMAIL["WEBHOOK_SECRET"].split(",")
# Without it, the webhooks refuse every report (403): anymail alone would only
# warn, and take anyone's word for a bounce (briefings/newsletter/webhooks.py).
# Messages per second, minute, hour and day, per sending backend (by its dotted
# path); the sender waits, never fails (briefings/newsletter/pacing.py). Each
# worker process paces alone: with N workers, give each 1/N of the provider's.
NEWSLETTER_SENDING_RATES: dict[str, dict[str, int]] = {
    "django.core.mail.backends.smtp.EmailBackend": {
        "second": int(os.environ.get("EMAIL_RATE_PER_SECOND", "10")),
        "hour": int(os.environ.get("EMAIL_RATE_PER_HOUR", "20000")),
    },
}
# Different messages that may soft-bounce in a row (none delivered in between)
# before the address is suppressed as bounced; a hard bounce suppresses at once.
NEWSLETTER_SOFT_BOUNCE_LIMIT = 3
# The domain of Message-IDs (and of List-Id): empty means BASE_URL's host, never
# the sending machine's name.
NEWSLETTER_MAIL_DOMAIN = os.environ.get("NEWSLETTER_MAIL_DOMAIN", "")
# End of sending ---------------------------------------------------------------

# Search inside PDFs (publications/pdf/) -------------------------------------
# Each PDF saved is read in the background by a sandboxed child process; these
# bound it. The child sets the memory and CPU limits on itself and writes no
# file; the parent kills it at the wall clock and refuses larger files first.
PDF_PROCESS_ON_SAVE = env_bool("PDF_PROCESS_ON_SAVE", default=True)
PDF_SANDBOX_LIMITS = {
    "max_file_bytes": 100 * 1024 * 1024,  # larger files are not read
    "max_pages": 2_000,  # pages read from one file, from the first
    "max_page_chars": 20_000,  # text kept of one page
    "max_file_chars": 1_000_000,  # text kept of one file
    "memory_bytes": 768 * 1024 * 1024,  # address space of the child
    "cpu_seconds": 60,  # processor time of the child
    "wall_seconds": 90,  # then the child is killed, the pages read are kept
    "thumbnail_box": (600, 850),  # the first page's image fits in it (pixels)
}
# Draw each PDF's first page (pypdfium2, same sandbox) as the cover of a
# publication that has none.
PDF_THUMBNAILS = env_bool("PDF_THUMBNAILS", default=True)
# Text of a publication's PDFs put into its search index entry, all files
# together (a PostgreSQL tsvector holds at most 1 MB).
PDF_INDEX_MAX_CHARS = 400_000
# End of search inside PDFs ----------------------------------------------------

# Scheduler --------------------------------------------------------------------
# `manage.py run_scheduler` runs every periodic job (site_config/scheduler.py):
# one process beside the web server and the task worker, and only one acts at a
# time (it holds a lock: a PostgreSQL advisory lock, or a file lock beside the
# SQLite database). Jobs only queue tasks or run short commands; the work itself
# runs in the task worker. Seconds between two runs of each job (each also runs
# once when the scheduler starts):
SCHEDULER_INTERVALS = {
    "feeds_poll": 5 * 60,  # each source then keeps its own pace (next_poll_at)
    "scheduled_sends": 60,  # sends planned for a time start within a minute
    "dispatch_recovery": 60,  # a dead worker's dispatch resumes within ~2 min
    "publish_scheduled": 60,  # Wagtail's scheduled publishing and expiry
    "task_results_prune": 24 * 60 * 60,  # finished task results (database queue)
    "subscribers_purge": 24 * 60 * 60,  # the subscribers' retention periods
    "search_index_update": 24 * 60 * 60,  # the whole index, in the worker
}
# Finished task results older than this are deleted (failed ones too).
SCHEDULER_TASK_RESULTS_MAX_AGE_DAYS = 14
# How often the scheduler checks that it still holds its lock (it stops if not).
SCHEDULER_LOCK_CHECK = 30
# How often the lock holder records that it is alive; `/healthz` calls the
# scheduler late once its last beat is three of these old.
SCHEDULER_HEARTBEAT = 60
# `/healthz` calls the task queue degraded once a task has waited this long.
HEALTH_TASK_QUEUE_MAX_WAIT = 10 * 60
# End of scheduler -------------------------------------------------------------

# Delivery reports ---------------------------------------------------------------
# Links in a dispatched issue go through a signed redirect that adds one to the
# link's total (briefings/newsletter/clicks.py): never who clicked. Off: links
# lead straight to their targets. Set NEWSLETTER_CLICK_COUNTING=0 to turn it off.
NEWSLETTER_CLICK_COUNTING = os.environ.get(
    "NEWSLETTER_CLICK_COUNTING", "1"
).lower() not in ("0", "false", "no", "off")
# Where the email's "view in browser" link leads: "live" (the page as it
# is now) or "archived" (the copy kept of what this dispatch sent).
NEWSLETTER_VIEW_IN_BROWSER = os.environ.get("NEWSLETTER_VIEW_IN_BROWSER", "live")
# End of delivery reports --------------------------------------------------------
