"""Site administration: the people of the whole site."""
