"""Qt item models over lists that services return."""
