"""counterparty: contacts (customers and suppliers) as a service."""

__version__ = "0.1.0"
