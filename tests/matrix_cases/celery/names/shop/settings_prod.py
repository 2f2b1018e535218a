# Django production settings with Celery's pre-4.0 names (a settings_*.py module).
from shop.settings_base import *  # noqa: F403

BROKER_URL = "amqp://guest:guest@rabbit:5672//"
