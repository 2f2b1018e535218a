"""Production settings (a settings package nested one level deeper, as in wemake-django-template)."""
SECURE_BROWSER_XSS_FILTER = True
SESSION_ENGINE = "django.contrib.sessions.backends.cache"
