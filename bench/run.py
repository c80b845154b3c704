"""Entry point: `python bench/run.py` (what `make bench` runs) or `python -m bench`."""

from __future__ import annotations

import sys
from pathlib import Path


def main() -> int:
    if not __package__:
        # Run as a script, Python puts bench/ itself on the path instead of the repository
        # root, and `bench.*` would not import.
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from bench.cli import main as run

    return run(sys.argv[1:])


if __name__ == "__main__":
    raise SystemExit(main())
