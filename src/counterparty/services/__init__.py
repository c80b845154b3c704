"""Use cases: every entry point (HTTP, dialects, CLI) calls these and nothing below them."""
