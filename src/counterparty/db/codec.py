"""How contact documents and history snapshots are stored: compressed JSON.

A stored contact is the JSON every read returns, compressed with zstandard against a fixed
dictionary of example contacts (`document-dictionary-v1.json`): member names, check entries and
typical values are in the dictionary, so a 2.2 KB document takes about 260 bytes and costs a few
microseconds either way. The first byte names the format. The dictionary of a format must never
change: a new dictionary is a new format byte, and both stay readable.
"""

from __future__ import annotations

import threading
from pathlib import Path

import zstandard

FORMAT_ZSTD_V1 = 1
LEVEL = 3

_DICTIONARY = zstandard.ZstdCompressionDict(
    (Path(__file__).parent / "document-dictionary-v1.json").read_bytes(),
    dict_type=zstandard.DICT_TYPE_RAWCONTENT,
)
_DICTIONARY.precompute_compress(level=LEVEL)
_HEADER = bytes([FORMAT_ZSTD_V1])
# zstandard's (de)compressors are not safe to share between threads; the registry checks
# write from a thread pool.
_local = threading.local()


def _compressor() -> zstandard.ZstdCompressor:
    found: zstandard.ZstdCompressor | None = getattr(_local, "compressor", None)
    if found is None:
        found = _local.compressor = zstandard.ZstdCompressor(
            level=LEVEL, dict_data=_DICTIONARY, write_checksum=False, write_dict_id=False
        )
    return found


def _decompressor() -> zstandard.ZstdDecompressor:
    found: zstandard.ZstdDecompressor | None = getattr(_local, "decompressor", None)
    if found is None:
        found = _local.decompressor = zstandard.ZstdDecompressor(dict_data=_DICTIONARY)
    return found


def pack(document: bytes) -> bytes:
    """The stored form of a JSON document.

    >>> unpack(pack(b'{"name":"Acme"}'))
    b'{"name":"Acme"}'
    """
    return _HEADER + _compressor().compress(document)


def unpack(stored: bytes) -> bytes:
    """The JSON document back from its stored form."""
    if not stored or stored[0] != FORMAT_ZSTD_V1:
        raise ValueError("unknown stored document format")
    return _decompressor().decompress(memoryview(stored)[1:])
