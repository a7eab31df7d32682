"""Interactive HTML maps (folium/Leaflet): the elements that render verbatim, the layers every map
draws, the legend, and the plan's map."""
