"""Import presets: a vendor's own field names as a file's header, read with that vendor's
value conventions by the same tables and conversions as its dialect."""

from __future__ import annotations

from collections.abc import Mapping

from counterparty.services.imports import Preset

PRESETS: Mapping[str, Preset] = {}
