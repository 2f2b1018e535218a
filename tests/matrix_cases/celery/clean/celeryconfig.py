# Celery 5.x configuration module, loaded with app.config_from_object("celeryconfig").
import os

from kombu import Exchange, Queue

broker_url = os.environ.get("CELERY_BROKER", "redis://localhost:6379/0")
broker_connection_retry_on_startup = True
broker_transport_options = {"visibility_timeout": 3600}
result_backend = os.environ.get("CELERY_RESULTS", "redis://localhost:6379/1")
result_expires = 86400
result_extended = True
task_serializer = "json"
result_serializer = "json"
accept_content = ["json"]
timezone = "UTC"
enable_utc = True
task_acks_late = True
task_track_started = True
task_time_limit = 600
task_soft_time_limit = 540
task_default_queue = "default"
task_queues = (Queue("default", Exchange("default"), routing_key="default"),)
task_routes = {"proj.tasks.slow": {"queue": "slow"}}
worker_concurrency = 8
worker_prefetch_multiplier = 1
worker_max_tasks_per_child = 1000
beat_schedule = {
    "cleanup": {"task": "proj.tasks.cleanup", "schedule": 3600.0},
}
