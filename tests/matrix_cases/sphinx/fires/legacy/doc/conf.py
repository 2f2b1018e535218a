# Sphinx configuration for the legacy manual (no language set).
extensions = ["sphinx.ext.mathjax"]
project = "legacy"
source_encoding = "UTF-8"
html4_writer = False
linkcheck_allow_unauthorized = False
linkcheck_report_timeouts_as_broken = False
show_warning_types = True
