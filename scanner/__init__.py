"""cfgscan: find deprecated and breaking configuration keys before an upgrade."""

__version__ = "0.1.0"
