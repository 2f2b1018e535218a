# The Celery app module itself is not a config module this product claims: nothing may fire here.
BROKER_URL = "redis://localhost:6379/0"
