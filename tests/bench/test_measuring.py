"""The benchmark's measuring parts against real servers and databases: loading, the
executemany baseline, sizes, deep cursors and the one-field PATCH growth."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
from bench.baseline import postgres_executemany, sqlite_executemany
from bench.checks import verify_deep_page
from bench.database import Inspector, postgres_database, prepare
from bench.dataset.bodies import BATCH_SIZE, bodies_file, read_bodies
from bench.growth import VERSIONS_PER_CONTACT, patch_growth
from bench.loaded import REPO_ROOT
from bench.loader import Load, load
from bench.measure import APP, server_env
from bench.servers import Servers
from bench.storage import checkpoint, postgres_storage, sqlite_storage, sqlite_usage
from sqlalchemy import create_engine, text

from tests.conftest import POSTGRES_URL

SEED = 99
COUNT = BATCH_SIZE + 300


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    with Servers(REPO_ROOT, tmp_path_factory.mktemp("logs")) as running:
        yield running


@pytest.fixture(scope="module")
def bodies(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return bodies_file(tmp_path_factory.mktemp("bodies"), SEED, COUNT)


def _load(servers: Servers, url: str, bodies: Path) -> tuple[str, Load]:
    api_key = prepare(url)
    server = servers.start("load", APP, server_env(url))
    try:
        return api_key, load(server, api_key, read_bodies(bodies), connections=2)
    finally:
        servers.stop(server)


@pytest.fixture(scope="module")
def loaded(
    servers: Servers, bodies: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, str, Load]:
    path = tmp_path_factory.mktemp("sqlite") / "loaded.db"
    api_key, result = _load(servers, f"sqlite:///{path}", bodies)
    checkpoint(path)
    return path, api_key, result


def test_loading_counts_every_contact_and_the_servers_memory(
    loaded: tuple[Path, str, Load],
) -> None:
    path, _, result = loaded
    assert (result.contacts, result.requests, result.connections) == (COUNT, 2, 2)
    assert result.server_peak_rss_bytes > 20 * 2**20
    inspector = Inspector(f"sqlite:///{path}")
    try:
        assert len(inspector.contact_ids()) == COUNT
    finally:
        inspector.close()


def test_an_item_the_service_refuses_stops_the_load(servers: Servers, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'refused.db'}"
    api_key = prepare(url)
    server = servers.start("refusing", APP, server_env(url))
    body = orjson.dumps(
        {"items": [{"name": "Fine"}, {"name": "Bad", "vat_number": "BE0403019262"}]}
    )
    try:
        with pytest.raises(RuntimeError, match="items not created"):
            load(server, api_key, [body], connections=1)
    finally:
        servers.stop(server)


def test_the_baseline_inserts_every_row_and_leaves_the_loaded_file_alone(
    loaded: tuple[Path, str, Load], tmp_path: Path
) -> None:
    path = loaded[0]
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    result = sqlite_executemany(path, tmp_path)
    assert result.rows == COUNT and result.seconds > 0
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert list(tmp_path.iterdir()) == []


def test_the_size_is_the_whole_file_split_by_part(loaded: tuple[Path, str, Load]) -> None:
    path = loaded[0]
    size = sqlite_storage(path)
    assert size.total_bytes == path.stat().st_size and size.wal_bytes == 0
    assert {"contacts", "history", "search index", "match keys"} <= set(size.parts)
    assert sum(size.parts.values()) <= size.total_bytes
    assert 0 < size.in_use_bytes <= size.total_bytes


def test_built_deep_cursors_continue_after_their_contact_and_patches_grow_the_file(
    servers: Servers, loaded: tuple[Path, str, Load], tmp_path: Path
) -> None:
    copy = tmp_path / "copy.db"
    copy.write_bytes(loaded[0].read_bytes())
    url, headers = f"sqlite:///{copy}", {"Authorization": f"Bearer {loaded[1]}"}
    inspector = Inspector(url)
    real = servers.start("real", APP, server_env(url))
    try:
        for sort in ("name", "updated_at"):
            deep = inspector.deep_page(sort, inspector.active_contacts() // 2)
            verify_deep_page(
                real, headers, f"/v1/contacts?sort={sort}&limit=50&cursor={deep.cursor}",
                deep.first_id,
            )  # fmt: skip
        with pytest.raises(RuntimeError, match="starts with"):
            verify_deep_page(real, headers, "/v1/contacts?sort=name&limit=50", deep.first_id)
        growth = patch_growth(
            real, headers, inspector.contact_ids(), 2, lambda: sqlite_usage(copy),
            random.Random(1),
        )  # fmt: skip
    finally:
        servers.stop(real)
        inspector.close()
    assert growth.patches == growth.versions_added == 2 * VERSIONS_PER_CONTACT
    assert growth.bytes_per_patch > 0 and growth.value_bytes_per_patch > 100
    assert growth.parts_growth["history"] > 0


@pytest.mark.skipif(POSTGRES_URL is None, reason="PostgreSQL is not reachable")
def test_postgres_loads_into_its_own_database_and_drops_it(servers: Servers, bodies: Path) -> None:
    assert POSTGRES_URL is not None
    with postgres_database(POSTGRES_URL) as url:
        name = url.rsplit("/", 1)[1]
        _, result = _load(servers, url, bodies)
        assert result.contacts == COUNT
        assert postgres_executemany(url).rows == COUNT
        inspector = Inspector(url)
        try:
            size = postgres_storage(inspector.engine)
            assert inspector.write_counts().contacts == COUNT
        finally:
            inspector.close()
        assert size.parts["contacts"] > 0 and size.total_bytes >= size.parts["history"]
    admin = create_engine(POSTGRES_URL)
    try:
        with admin.connect() as connection:
            exists = connection.execute(
                text("SELECT count(*) FROM pg_database WHERE datname = :n"), {"n": name}
            ).scalar_one()
    finally:
        admin.dispose()
    assert exists == 0
