# A settings component in a nested settings package (as in wemake-django-template).
CELERY_TASK_SERIALIZER = "json"  # the Django-namespace form of task_serializer: current, no finding
BROKER_POOL_LIMIT = 10
