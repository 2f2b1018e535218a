# Celery 4+ lowercase configuration for the worker service.
import os

broker_url = os.environ.get('BROKER', 'pyamqp://guest@localhost//')
task_serializer = 'json'
accept_content = ['json']
timezone = 'UTC'
worker_concurrency = 4

backend = os.environ.get('RESULTS', 'rpc')
if backend == 'amqp':
    result_backend = 'amqp://guest@localhost//'
elif backend == 'riak':
    result_backend = 'riak://localhost:8087/celery'
elif backend == 'redis':
    result_backend = 'redis://localhost:6379/1'
else:
    result_backend = 'rpc://'

# result_backend = 'amqp://'
result_backend_transport_options = {'amqp': True}
