"""Settings for the shop project, maintained on the 4.2 LTS."""
INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes", "shop"]
ROOT_URLCONF = "shop.urls"
SECRET_KEY = "shop-dev"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_L10N = True
CSRF_COOKIE_MASKED = False
DEFAULT_FILE_STORAGE = "django.core.files.storage.FileSystemStorage"
FORMS_URLFIELD_ASSUME_HTTPS = True
EMAIL_HOST = "localhost"
SIGNED_COOKIE_LEGACY_SALT_FALLBACK = True
