"""Qt widgets and item models. They call services/; no SQL and no business rule here."""
