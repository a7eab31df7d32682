"""Data sources, regions, control zones and plan layers."""
