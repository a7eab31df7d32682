"""The 1 January 2022 population model: hromadas placed on the map and zone estimates."""
