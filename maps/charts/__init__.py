"""Charts of figures over time (SVG in HTML pages, matplotlib figures): the occupied km² per region
(:mod:`.timeline`) and a plan's headline measures (:mod:`.plan_timeline`) on every snapshot, both
drawn as small multiples (:mod:`.small_multiples`)."""
