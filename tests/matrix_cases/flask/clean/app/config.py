"""Flask configuration, loaded with app.config.from_object("app.config.ProductionConfig")."""
import os
from datetime import timedelta


class BaseConfig:
    SECRET_KEY = os.environ["SECRET_KEY"]
    SECRET_KEY_FALLBACKS = [os.environ.get("OLD_SECRET_KEY", "")]
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", "sqlite:///app.db")
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = timedelta(days=14)
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    MAX_FORM_MEMORY_SIZE = 500_000
    TRUSTED_HOSTS = ["example.org", ".example.org"]
    PREFERRED_URL_SCHEME = "https"


class DevelopmentConfig(BaseConfig):
    DEBUG = True
    TEMPLATES_AUTO_RELOAD = True


class ProductionConfig(BaseConfig):
    DEBUG = False
    SEND_FILE_MAX_AGE_DEFAULT = 3600
