# A Django settings module living in the same repository (no marker of the other framework here).
INSTALLED_APPS = ["django.contrib.admin", "django.contrib.auth"]
ROOT_URLCONF = "proj.urls"
ENV = "production"
SESSION_COOKIE_DOMAIN = None
