# Flask settings, loaded with app.config.from_object("conf.flask").
SECRET_KEY = "dev"
JSON_AS_ASCII = False
