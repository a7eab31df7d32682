"""Occupied land per region on every DeepState snapshot, fast and cached."""
