"""Who controls what on a date: the occupied polygon, held and occupied land, the line of contact."""
