# Instance overrides for the Flask app; everything else comes from app/config.py.
SEND_FILE_MAX_AGE_DEFAULT = 3600
TEMPLATES_AUTO_RELOAD = True
