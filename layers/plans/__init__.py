"""Plans as data: the plan file model, the statuses it gives land, and applying it to control zones."""
