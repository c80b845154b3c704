"""The `counterparty` command line."""
