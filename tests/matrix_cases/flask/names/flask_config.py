from flask import Flask  # noqa: F401  (the module is loaded with from_object("flask_config.Config"))


class Config:
    ENV = "production"
