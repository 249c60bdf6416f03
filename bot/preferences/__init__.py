"""Settings staff change in the panel (which outcomes count against attendance, ...)."""
