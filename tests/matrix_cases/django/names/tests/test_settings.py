# DJANGO_SETTINGS_MODULE=tests.test_settings: a whole settings module for the test suite; it leaves USE_TZ
# to its default, so the 5.0 default change is reported here.
INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes", "reusable"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
