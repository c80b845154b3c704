"""Static files of the web interface, served from memory under URLs that name their content.

A file's URL carries a digest of its bytes (`/app/static/<digest>/app.css`), so browsers may
keep it for a year and a new release is fetched at once. htmx is vendored from its npm package
(`htmx.org`, version in static/VENDORED), with its licence beside it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response

STATIC = Path(__file__).parent / "static"
PREFIX = "/app/static"
_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}
IMMUTABLE = "public, max-age=31536000, immutable"


@dataclass(frozen=True)
class Asset:
    body: bytes
    digest: str
    media_type: str


class Assets:
    def __init__(self, folder: Path = STATIC) -> None:
        self._files = {}
        for path in sorted(folder.iterdir()):
            if path.suffix in _TYPES:
                body = path.read_bytes()
                digest = hashlib.sha256(body).hexdigest()[:16]
                self._files[path.name] = Asset(body, digest, _TYPES[path.suffix])

    def url(self, name: str) -> str:
        return f"{PREFIX}/{self._files[name].digest}/{name}"

    async def serve(self, request: Request) -> Response:
        asset = self._files.get(request.path_params["name"])
        if asset is None or asset.digest != request.path_params["digest"]:
            return Response("not found", status_code=404, media_type="text/plain")
        headers = {"Cache-Control": IMMUTABLE, "X-Content-Type-Options": "nosniff"}
        return Response(asset.body, media_type=asset.media_type, headers=headers)
