# Local overrides for the Flask app.
SQLALCHEMY_DATABASE_URI = "postgresql://app@localhost/app"
