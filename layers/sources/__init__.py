"""Where data comes from: the registry of pinned public sources, and readers of each kind of file."""
