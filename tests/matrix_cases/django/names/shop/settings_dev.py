"""Development settings for shop: python manage.py runserver --settings=shop.settings_dev."""
from shop.settings_base import BASE_DIR

DEBUG = True
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
USE_L10N = True
