"""Outputs made from plan layers: the report and its renderings, comparisons, layer files."""
