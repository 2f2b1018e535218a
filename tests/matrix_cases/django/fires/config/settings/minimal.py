# A bare Django settings module that leaves every default alone.
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth"]
ROOT_URLCONF = "config.urls"
SECRET_KEY = "not-a-secret"
