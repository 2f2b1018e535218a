# Sphinx configuration for the operator manual.
extensions = ["sphinx.ext.todo"]
project = "manual"
language = "fr"
linkcheck_allow_unauthorized = False
linkcheck_report_timeouts_as_broken = False
