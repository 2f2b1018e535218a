# Gunicorn-style server settings that happen to live in a file named conf.py.
bind = "0.0.0.0:8000"
workers = 4
language = None
html4_writer = True
