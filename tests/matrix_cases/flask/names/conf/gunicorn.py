# Gunicorn settings next to the app's conf/ modules: no marker of the web framework, so nothing may fire.
bind = "0.0.0.0:8000"
ENV = "production"
