# Local overrides (a *_settings.py module).
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "shop.sqlite3"}}
CELERY_ALWAYS_EAGER = True
