"""Pure geometry: projections, geodesic areas, cleaning, land/sea separation. No I/O."""
