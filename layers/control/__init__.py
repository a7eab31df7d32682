"""Who controls what on a date: the occupied polygon, held and occupied land, the line of contact."""

# The two parts every region is split into; light, so that modules naming them (the plan
# statuses, the command line) need not load the geometry.
OCCUPIED = "occupied"
HELD = "held"
