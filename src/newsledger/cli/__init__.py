"""The ``newsledger`` command line: thin commands over the library."""

from newsledger.cli.app import app, main

__all__ = ["app", "main"]
