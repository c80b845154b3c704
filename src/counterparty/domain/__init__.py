"""The contact model and the pure rules around it; no I/O here."""
