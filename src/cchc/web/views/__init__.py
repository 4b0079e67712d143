"""The shell's pages: the home page and the sections still to come."""
