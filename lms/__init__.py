"""Training and certification core: models, services, hookspecs. Imports no UI toolkit."""

__version__ = "0.1.0"
