"""Configuration classes for the Flask app (loaded with app.config.from_object)."""
import os
from datetime import timedelta


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", "sqlite:///app.db")
    SESSION_COOKIE_DOMAIN = ".example.org"
    ENV = "production"
    JSON_AS_ASCII = False
    JSON_SORT_KEYS = False
    JSONIFY_PRETTYPRINT_REGULAR = True
    JSONIFY_MIMETYPE = "application/json"
    PRESERVE_CONTEXT_ON_EXCEPTION = False
    LOGGER_NAME = "myapp"
    LOGGER_HANDLER_POLICY = "production"
    # Near misses below: none of these may fire.
    # ENV = "development"
    ENVIRONMENT = "production"
    JSON_SORT_KEYS_IN_LOGS = True
    DOC = "set JSON_AS_ASCII on app.json instead"
    PERMANENT_SESSION_LIFETIME = timedelta(days=7)


def configure(app):
    ENV = "local"
    app.config["JSONIFY_MIMETYPE"] = "application/json"
    return ENV
