"""Outside registries counterparty asks, behind the services' protocols."""
