# Celery 3.x style configuration, loaded with app.config_from_object("celeryconfig").
import os
from kombu import Exchange, Queue

QUEUES = (Queue('default', Exchange('default'), routing_key='default'),)

BROKER_URL = 'amqp://guest:guest@localhost:5672//'
BROKER_TRANSPORT = 'amqp'
BROKER_TRANSPORT_OPTIONS = {'visibility_timeout': 3600}
BROKER_CONNECTION_TIMEOUT = 4.0
BROKER_CONNECTION_RETRY = True
BROKER_CONNECTION_MAX_RETRIES = 100
BROKER_HEARTBEAT = 120
BROKER_POOL_LIMIT = 10
BROKER_USE_SSL = False
BROKER_LOGIN_METHOD = 'AMQPLAIN'
BROKER_FAILOVER_STRATEGY = 'round-robin'
CELERY_ACCEPT_CONTENT = ['json']
CELERY_TIMEZONE = 'Europe/Paris'
CELERY_IMPORTS = ('proj.tasks',)
CELERY_INCLUDE = ['proj.extra']
if os.environ.get('RESULTS') == 'riak':
    CELERY_RESULT_BACKEND = 'riak://localhost:8087/celery'
else:
    CELERY_RESULT_BACKEND = 'amqp://guest@localhost//'
CELERY_RESULT_SERIALIZER = 'json'
CELERY_RESULT_PERSISTENT = False
CELERY_TASK_RESULT_EXPIRES = 86400
CELERY_MAX_CACHED_RESULTS = 100
CELERY_CACHE_BACKEND = 'memory'
CELERY_MONGODB_BACKEND_SETTINGS = {'database': 'celery'}
CELERY_REDIS_MAX_CONNECTIONS = 20
CELERY_TASK_SERIALIZER = 'json'
CELERY_ALWAYS_EAGER = False
CELERY_EAGER_PROPAGATES_EXCEPTIONS = True
CELERY_ACKS_LATE = True
CELERY_IGNORE_RESULT = False
CELERY_ANNOTATIONS = {'proj.tasks.add': {'rate_limit': '10/s'}}
CELERY_ROUTES = {'proj.tasks.slow': {'queue': 'slow'}}
CELERY_QUEUES = QUEUES
CELERY_CREATE_MISSING_QUEUES = True
CELERY_DEFAULT_QUEUE = 'default'
CELERY_DEFAULT_EXCHANGE = 'default'
CELERY_DEFAULT_EXCHANGE_TYPE = 'direct'
CELERY_DEFAULT_ROUTING_KEY = 'default'
CELERY_DEFAULT_RATE_LIMIT = None
CELERY_DEFAULT_DELIVERY_MODE = 'persistent'
CELERY_TRACK_STARTED = True
CELERY_SEND_TASK_SENT_EVENT = True
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {'max_retries': 3}
CELERY_DISABLE_RATE_LIMITS = False
CELERY_ENABLE_REMOTE_CONTROL = True
CELERY_WORKER_DIRECT = False
CELERY_EVENT_SERIALIZER = 'json'
CELERYD_TASK_TIME_LIMIT = 600
CELERYD_TASK_SOFT_TIME_LIMIT = 540
CELERYD_CONCURRENCY = 8
CELERYD_PREFETCH_MULTIPLIER = 1
CELERYD_MAX_TASKS_PER_CHILD = 1000
CELERYD_POOL = 'prefork'
CELERYD_POOL_RESTARTS = True
CELERYD_HIJACK_ROOT_LOGGER = False
CELERYD_LOG_COLOR = False
CELERYD_LOG_FORMAT = '[%(asctime)s: %(levelname)s] %(message)s'
CELERYD_TASK_LOG_FORMAT = '[%(task_name)s] %(message)s'
CELERYD_STATE_DB = '/var/run/celery/worker.state'
CELERYD_TIMER_PRECISION = 1.0
CELERYD_AUTOSCALER = 'celery.worker.autoscale:Autoscaler'
CELERYBEAT_SCHEDULE = {'cleanup': {'task': 'proj.tasks.cleanup', 'schedule': 3600.0}}
CELERYBEAT_SCHEDULER = 'celery.beat:PersistentScheduler'
CELERYBEAT_SCHEDULE_FILENAME = 'celerybeat-schedule'
CELERYBEAT_MAX_LOOP_INTERVAL = 300
CELERYBEAT_SYNC_EVERY = 0

# Near misses: a comment, a string and look-alike names must not fire.
# BROKER_URL = 'redis://localhost:6379/0'
DOC = 'CELERYD_CONCURRENCY is read by the worker'
BROKER_URL_BACKUP = 'amqp://backup//'
CELERYD_CONCURRENCY_HINT = 4

def tune(conf):
    CELERYD_CONCURRENCY = 2
    return CELERYD_CONCURRENCY
