"""config/django/ settings modules, as in HackSoftware's Django-Styleguide-Example."""
from config.env import env

PASSWORD_RESET_TIMEOUT_DAYS = env.int("PASSWORD_RESET_DAYS", default=3)
CACHES = {"default": {"BACKEND": "django.core.cache.backends.memcached.MemcachedCache"}}
