"""HTML and static map rendering."""
