# Copy to local_settings.py and adjust.
DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "shop"}}
DEFAULT_FILE_STORAGE = "storages.backends.s3boto3.S3Boto3Storage"
