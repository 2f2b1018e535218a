# Sphinx configuration for the API reference.
extensions = ["sphinx.ext.autodoc", "sphinxcontrib.jsmath"]
project = "api"
language = "en"
linkcheck_report_timeouts_as_broken = False
show_warning_types = True
