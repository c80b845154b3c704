"""Benchmark of the contacts API against a bare ASGI ceiling (`python bench/run.py --help`)."""
