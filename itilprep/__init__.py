"""ITIL Prep: the project package (settings, root URLs, home and account pages)."""
