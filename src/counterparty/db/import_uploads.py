"""Uploaded import files, kept on disk while their job may still need them.

A file is written under a temporary name and renamed into place, so a file that is there is
whole. One directory per tenant; the file is named by its job's id.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import IO
from uuid import UUID


class UploadStore:
    def __init__(self, directory: Path) -> None:
        self._directory = directory

    def _path(self, tenant_id: UUID, job_id: UUID) -> Path:
        return self._directory / str(tenant_id) / f"{job_id}.upload"

    def keep(self, tenant_id: UUID, job_id: UUID, source: IO[bytes]) -> None:
        path = self._path(tenant_id, job_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
        try:
            with os.fdopen(descriptor, "wb") as target:
                shutil.copyfileobj(source, target, 1 << 20)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def open(self, tenant_id: UUID, job_id: UUID) -> IO[bytes]:
        return self._path(tenant_id, job_id).open("rb")

    def has(self, tenant_id: UUID, job_id: UUID) -> bool:
        return self._path(tenant_id, job_id).is_file()

    def drop(self, tenant_id: UUID, job_id: UUID) -> None:
        self._path(tenant_id, job_id).unlink(missing_ok=True)
