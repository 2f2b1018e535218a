# Sphinx configuration for the user guide.
extensions = []
project = "guide"
language = "de"
linkcheck_allow_unauthorized = False
show_warning_types = True
