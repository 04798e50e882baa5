"""Frontdoor core: configuration, database, web app and command line."""

__version__ = "0.1.0"
