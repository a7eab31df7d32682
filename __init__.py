"""peacemap: map and measure the territorial provisions of peace proposals for the Russia-Ukraine war."""

__version__ = "0.1.0"
