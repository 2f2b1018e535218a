"""Django settings for mysite (an old project, last touched on Django 2.2).

The docstring mentions USE_L10N and DEFAULT_FILE_STORAGE; that is not an assignment.
"""
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only")
DEBUG = os.environ.get("DJANGO_DEBUG") == "1"
ALLOWED_HOSTS = ["example.com"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "mysite.urls"

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "mysite",
        "TEST": {
            "NAME": "test_mysite",
            "SERIALIZE": False,
        },
    },
}

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.memcached.MemcachedCache",
        "LOCATION": "127.0.0.1:11211",
    },
    "sessions": {
        "BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache",
        "LOCATION": "127.0.0.1:11211",
    },
}

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.UnsaltedMD5PasswordHasher",
    "django.contrib.auth.hashers.CryptPasswordHasher",
]

# Explicit values for every setting whose default moved, so only the rules above fire here.
FILE_UPLOAD_PERMISSIONS = 0o644
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

LANGUAGE_CODE = "en-us"
USE_I18N = True
USE_L10N = True
# USE_DEPRECATED_PYTZ = True   (commented out: must not fire)
USE_DEPRECATED_PYTZ = False
FILE_CHARSET = "utf-8"
DEFAULT_CONTENT_TYPE = "text/html"
PASSWORD_RESET_TIMEOUT_DAYS = 3
DEFAULT_HASHING_ALGORITHM = "sha1"
SECURE_BROWSER_XSS_FILTER = True
CSRF_COOKIE_MASKED = True
CSRF_TRUSTED_ORIGINS = [
    "https://example.com",
    "example.org",
]

try:
    SESSION_SERIALIZER = "django.contrib.sessions.serializers.PickleSerializer"
except ImportError:
    SESSION_SERIALIZER = "django.contrib.sessions.serializers.JSONSerializer"

STATIC_URL = "static/"
STATICFILES_STORAGE = "django.contrib.staticfiles.storage.CachedStaticFilesStorage"
DEFAULT_FILE_STORAGE = "storages.backends.s3.S3Storage"
NOTE = "DEFAULT_FILE_STORAGE lives in STORAGES now"

if DEBUG:
    FORM_RENDERER = "django.forms.renderers.DjangoDivFormRenderer"
else:
    FORM_RENDERER = "django.forms.renderers.Jinja2DivFormRenderer"
FORMS_URLFIELD_ASSUME_HTTPS = True
URLIZE_ASSUME_HTTPS = True
USE_BLANK_CHOICE_DASH = True
SIGNED_COOKIE_LEGACY_SALT_FALLBACK = True

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_FILE_PATH = "/tmp/mysite-mail"
EMAIL_HOST = "smtp.example.com"
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_PASSWORD", "")
EMAIL_HOST_USER = "mailer@example.com"
EMAIL_PORT = 587
EMAIL_USE_TLS = True
EMAIL_USE_SSL = False
EMAIL_SSL_CERTFILE = None
EMAIL_SSL_KEYFILE = None
EMAIL_TIMEOUT = 10
EMAIL_USE_LOCALTIME = True
EMAIL_SUBJECT_PREFIX = "[mysite] "
DEFAULT_FROM_EMAIL = "webmaster@example.com"
ADMINS = [("Ops Team", "ops@example.com")]
MANAGERS = [
    ("Site Manager", "manager@example.com"),
]


def local_overrides():
    USE_L10N = False  # a local name inside a function, not a setting
    return USE_L10N
