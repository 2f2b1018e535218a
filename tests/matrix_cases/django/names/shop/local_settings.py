# Machine-specific overrides, star-imported at the end of the project's settings; never committed in real life.
# It holds neither the app list nor the URLconf: an overlay, so no default-changed finding may land here.
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": "shop.sqlite3",
    },
}
FILE_CHARSET = "utf-8"
