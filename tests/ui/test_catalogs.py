"""Every message of the web interface is translated into every language, placeholders intact."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from counterparty.ui.i18n import CATALOGS, DEFAULT_LANGUAGE, LANGUAGES, negotiate

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> dict[object, object]:
    template = tmp_path_factory.mktemp("catalogs") / "messages.pot"
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run(
        [str(pybabel), "-q", "extract", "-F", "babel.cfg", "-o", str(template), "."],
        cwd=ROOT,
        check=True,
        timeout=120,
    )
    with template.open("rb") as source:
        return {message.id: message for message in read_po(source) if message.id}


@pytest.mark.parametrize("language", sorted(set(LANGUAGES) - {DEFAULT_LANGUAGE}))
def test_every_message_is_translated(language: str, extracted: dict[object, object]) -> None:
    with (CATALOGS / language / "LC_MESSAGES" / "messages.po").open("rb") as source:
        catalog = read_po(source, locale=language)
    translated = {message.id: message for message in catalog if message.id}
    assert sorted(map(str, set(extracted) - set(translated))) == [], "missing: run pybabel update"
    assert sorted(map(str, set(translated) - set(extracted))) == [], "obsolete messages"
    for message_id, message in translated.items():
        assert not message.fuzzy, message_id
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        originals = message_id if isinstance(message_id, tuple) else (message_id,)
        wanted = set(PLACEHOLDER.findall(" ".join(originals)))
        for string in strings:
            assert string, message_id
            assert set(PLACEHOLDER.findall(string)) <= wanted, (message_id, string)


def test_the_language_is_negotiated_from_accept_language() -> None:
    assert negotiate("nl-BE,nl;q=0.9,en;q=0.8", None) == "nl"
    assert negotiate("de-DE,de;q=0.9,cs;q=0.5,en;q=0.3", None) == "cs"
    assert negotiate("tr;q=0, en;q=0.1", None) == "en"
    assert negotiate("fr", None) == "en"
    assert negotiate("tr", "cs") == "cs"
    assert negotiate(None, "xx") == "en"
