"""The search index's name buckets never contradict name order (db/search.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from counterparty.db.search import name_bucket
from counterparty.domain.text import fold

names = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)


@given(names, names)
def test_a_name_that_sorts_first_never_has_a_later_bucket(first: str, second: str) -> None:
    low, high = sorted((fold(first), fold(second)))
    assert name_bucket(low) <= name_bucket(high)


@given(st.text(alphabet="ab ,.-0189xyz\u00e7\u0131", max_size=8), st.text(max_size=3))
def test_shared_prefixes_with_punctuation_keep_their_order(stem: str, tail: str) -> None:
    low, high = sorted((stem + tail, stem))
    assert name_bucket(low) <= name_bucket(high)
