"""The `peacemap` command line: thin click commands over the library."""
