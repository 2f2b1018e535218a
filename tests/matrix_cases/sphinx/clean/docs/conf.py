# Configuration file for the Sphinx documentation builder (Sphinx 9).
import os
import sys

sys.path.insert(0, os.path.abspath(".."))

project = "mypkg"
author = "The mypkg team"
project_copyright = "2024-%Y, The mypkg team"
release = "2.0.0"

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.intersphinx",
    "sphinx.ext.mathjax",
    "sphinx.ext.napoleon",
    "sphinx.ext.viewcode",
]
root_doc = "index"
source_suffix = {".rst": "restructuredtext"}
source_encoding = "utf-8-sig"
language = "en"
templates_path = ["_templates"]
exclude_patterns = ["_build"]

html_theme = "furo"
html_static_path = ["_static"]
html_permalinks_icon = "#"

autodoc_default_options = {"members": True, "undoc-members": True}
autodoc_typehints = "description"

intersphinx_mapping = {
    "python": ("https://docs.python.org/3", None),
    "numpy": ("https://numpy.org/doc/stable/", None),
}

linkcheck_allow_unauthorized = False
linkcheck_report_timeouts_as_broken = False
show_warning_types = True
nitpicky = True
