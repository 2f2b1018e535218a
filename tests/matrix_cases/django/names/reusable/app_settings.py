# A reusable app's own settings defaults (the *_settings.py name, no Django marker): nothing may fire.
USE_L10N = getattr(object(), "USE_L10N", True)
FILE_CHARSET = "utf-8"
