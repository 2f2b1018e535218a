# FLASK_ENV=production
FLASK_APP=app:create_app
FLASK_ENV=development
FLASK_DEBUG=1
FLASK_ENVIRONMENT=dev
