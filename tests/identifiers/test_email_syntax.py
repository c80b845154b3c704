"""email_syntax.validate answers exactly as email-validator's validate_email does."""

from __future__ import annotations

import email_validator
import pytest
from email_validator import EmailNotValidError, validate_email
from hypothesis import example, given, settings
from hypothesis import strategies as st

from counterparty.domain.identifiers import email_syntax

# Characters that make e-mail syntax interesting: separators, quotes, brackets, dots and
# hyphens, letters whose case or Unicode form changes, IDNA and right-to-left text, spaces.
PIECES = st.sampled_from(
    [
        "a", "Z", "0", ".", "..", "-", "_", "+", "@", '"', "\\", "<", ">", " ", "[", "]", ":",
        "é", "e\u0301", "İ", "ı", "ß", "ﬁ", "Ω", "א", "\u200d", "\u00ad", "。", "xn--",
        "xn--bcher-kva",
        "example", "com", "be", "şirket", "müller", "localhost", "invalid", "test", "1.2.3.4",
        "IPv6:::1", "postmaster", "Abuse", "x" * 64, "y" * 70, "." + "d" * 60,
    ]
)  # fmt: skip


def _outcome(validate: object, address: str) -> tuple[str, str]:
    try:
        if validate is validate_email:
            return ("valid", validate_email(address, check_deliverability=False).normalized)
        return ("valid", email_syntax.validate(address))
    except EmailNotValidError as error:
        return (type(error).__name__, str(error))


def test_the_steps_are_those_of_the_installed_email_validator() -> None:
    """Another release may take other steps: compare them with its validate_email, then
    update STEPS_OF."""
    assert email_syntax.SAME_STEPS, f"email-validator {email_validator.__version__}"


@settings(max_examples=1500, deadline=None)
@given(st.lists(PIECES, max_size=12).map("".join) | st.text(max_size=40))
@example("Jan.Peeters@EXAMPLE.com")
@example("Postmaster@Example.BE")
@example("jan@[127.0.0.1]")
@example("Jan <jan@example.com>")
@example('"jan peeters"@example.com')
@example("jan@xn--bcher-kva.example")
@example("e\u0301@example.com")
@example("x" * 64 + "@" + ".".join(["d" * 60] * 4) + ".com")  # parts fit, the whole does not
def test_the_same_answer_as_validate_email(address: str) -> None:
    assert _outcome(email_syntax.validate, address) == _outcome(validate_email, address)


@pytest.mark.parametrize(
    "address", ["info@müller-elektro.de", "a@localhost", "x@" + "y" * 70 + ".com"]
)
def test_the_domain_is_checked_once_and_answers_the_same_again(address: str) -> None:
    first = _outcome(email_syntax.validate, address)
    hits = email_syntax._domain_name.cache_info().hits
    assert _outcome(email_syntax.validate, "other." + address) == _outcome(
        validate_email, "other." + address
    )
    assert first == _outcome(validate_email, address)
    if first[0] == "valid":
        assert email_syntax._domain_name.cache_info().hits == hits + 1
