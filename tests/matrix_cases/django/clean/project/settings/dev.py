from .base import *  # noqa: F401,F403

DEBUG = True
ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
INSTALLED_APPS = [*INSTALLED_APPS, "django.contrib.admindocs"]  # noqa: F405
