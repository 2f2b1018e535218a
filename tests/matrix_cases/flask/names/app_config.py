# app.config.from_object("app_config")
FLASK_APP = "app"
PRESERVE_CONTEXT_ON_EXCEPTION = False
