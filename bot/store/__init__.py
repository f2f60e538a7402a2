"""Storage of the service: the only code that touches the database."""
