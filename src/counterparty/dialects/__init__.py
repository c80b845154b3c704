"""Vendor dialects: each speaks one vendor's contact API and calls the same services."""
