"""The benchmark's pure parts: parsing wrk, percentiles, renaming DDL, naming storage."""

from __future__ import annotations

import pytest
from bench.baseline import TABLE, same_shape
from bench.checks import verify_writes
from bench.database import WriteCounts
from bench.latency import percentile
from bench.loaded import cache_key
from bench.storage import part_of
from bench.wrk import parse

WRK_OUTPUT = """Running 2s test @ http://127.0.0.1:41234
  1 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     8.86ms    2.10ms  40.12ms   90.00%
  Latency Distribution
     50%    8.86ms
     75%    9.50ms
     90%   11.20ms
     99%    1.49s
  7328 requests in 2.00s, 17.42MB read
  Non-2xx or 3xx responses: 3
  Socket errors: connect 0, read 1, write 0, timeout 2
Requests/sec:   3664.12
Transfer/sec:      8.71MB
"""


def test_wrk_output_is_read_with_units_and_errors() -> None:
    result = parse(WRK_OUTPUT)
    assert (result.requests, result.seconds, result.requests_per_second) == (7328, 2.0, 3664.12)
    assert (result.p50_ms, result.p90_ms, result.p99_ms) == (8.86, 11.2, 1490.0)
    assert (result.non_2xx, result.socket_errors, result.errors) == (3, 3, 6)


def test_unreadable_wrk_output_is_an_error() -> None:
    with pytest.raises(ValueError, match="unreadable"):
        parse("wrk: connection refused")


def test_percentiles_are_measured_values() -> None:
    values = [float(n) for n in range(1, 101)]
    assert (percentile(values, 50), percentile(values, 99), percentile(values, 100)) == (
        50.0,
        99.0,
        100.0,
    )
    assert percentile([3.0, 1.0, 2.0], 50) == 2.0
    assert percentile([], 50) != percentile([], 50)  # NaN


def test_the_baseline_table_has_the_shape_of_contacts_under_its_own_names() -> None:
    statements = same_shape(
        [
            "CREATE TABLE contacts (id INTEGER, parent_id INTEGER, FOREIGN KEY(parent_id) "
            "REFERENCES contacts (id), CONSTRAINT uq_contacts_number UNIQUE (id))",
            "CREATE INDEX ix_contacts_tenant_id_name_key_id ON contacts (tenant_id, name_key)",
            "CREATE INDEX ix_contact_events_x ON contact_events (x)",
        ]
    )
    assert statements[0].startswith(f"CREATE TABLE {TABLE} (")
    assert f"REFERENCES {TABLE} (id)" in statements[0]
    assert statements[1] == (
        f"CREATE INDEX ix_{TABLE}_tenant_id_name_key_id ON {TABLE} (tenant_id, name_key)"
    )
    assert statements[2] == "CREATE INDEX ix_contact_events_x ON contact_events (x)"


def test_storage_parts_are_named_by_what_they_serve() -> None:
    assert part_of("contacts_fts_data") == "search index"
    assert part_of("ix_contacts_tenant_id_updated_at_id") == "contacts"
    assert part_of("sqlite_autoindex_contacts_1") == "contacts"
    assert part_of("contact_events") == "history"
    assert part_of("contact_keys") == "match keys"
    assert part_of("tenants") == "other"


def test_the_cache_key_names_seed_size_generator_and_schema() -> None:
    key = cache_key(7, 20_000)
    assert key.startswith("sqlite-s7-g") and "-n20000-r" in key
    assert cache_key(8, 20_000) != key and cache_key(7, 20_001) != key


def test_patches_are_checked_against_the_versions_the_database_gained() -> None:
    before = WriteCounts(contacts=100, versions_added=10, last_updated_id="a")
    after = WriteCounts(contacts=100, versions_added=60, last_updated_id="b")
    patched = {"version": 4, "phone": "+31201234567"}
    assert verify_writes(before, after, 45, 1, patched).ok  # 5 in flight at the end
    assert not verify_writes(before, after, 51, 1, patched).ok  # fewer versions than answers
    assert not verify_writes(before, after, 10, 1, patched).ok  # more than in flight
    assert not verify_writes(before, after, 45, 1, {"version": 1, "phone": "+3120"}).ok
    fewer = WriteCounts(contacts=99, versions_added=60, last_updated_id="b")
    assert "99 contacts" in verify_writes(before, fewer, 45, 1, patched).message
