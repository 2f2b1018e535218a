"""Data-only package: the *.yaml files next to this module are cfgscan matrices (entry point cfgscan.matrix)."""
