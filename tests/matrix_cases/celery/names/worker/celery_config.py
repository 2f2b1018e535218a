# Loaded with app.config_from_object('celery_config'): a name many projects use besides celeryconfig.py.
BROKER_URL = "redis://localhost:6379/0"
result_backend = "amqp://guest@localhost//"
