"""One page per entry of the navigation list."""
