"""Development settings: app.config.from_object("settings.dev")."""
DEBUG = True
JSON_SORT_KEYS = False
