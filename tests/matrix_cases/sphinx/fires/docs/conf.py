# Configuration file for the Sphinx documentation builder.
import os
import sys

sys.path.insert(0, os.path.abspath(".."))

project = "mypkg"
author = "The mypkg team"
release = "1.4.2"

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.intersphinx",
    "sphinx.ext.mathbase",
    "sphinx.ext.jsmath",
    "sphinx.ext.viewcode",
]
source_parsers = {".md": "recommonmark.parser.CommonMarkParser"}
autodoc_default_flags = ["members", "undoc-members"]
html_add_permalinks = ""
c_allow_pre_v3 = True
c_warn_on_allowed_pre_v3 = False
html_codeblock_linenos_style = "table"
language = None
html4_writer = True
source_encoding = "latin-1"
intersphinx_mapping = {
    "python": ("https://docs.python.org/3", None),
    "https://numpy.org/doc/stable/": None,
}
linkcheck_allow_unauthorized = True
linkcheck_report_timeouts_as_broken = True
show_warning_types = False

# Near misses: none of these may fire.
# html_add_permalinks = "#"
html_permalinks_icon = "#"
templates_path = ["_templates"]
html_theme = "alabaster"
master_doc = "index"
html_static_path = ["_static"]
autodoc_default_options = {"members": True, "autodoc_default_flags": "text only"}
mathjax_path = "sphinx.ext.jsmath is gone"


def setup(app):
    language = None
    app.add_css_file("custom.css")
    return {"language": language}
