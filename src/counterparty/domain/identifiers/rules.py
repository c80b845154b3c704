"""A rule is one number scheme: how to compact, validate and format it.

Most rules wrap a python-stdnum module. The few numbers python-stdnum 2.2 lacks (Czech and Slovak
IČO, Dutch KvK, Slovak DIČ and some Peppol values) are small classes here with the same
`compact`/`validate` interface, raising python-stdnum's exceptions so that every rule reports
its failures the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength, ValidationError

from counterparty.domain.identifiers.result import Result, invalid, progress, reason_of, valid
from counterparty.domain.text import compact as drop_separators


class NumberModule(Protocol):
    """What a python-stdnum module offers (and what our own checks imitate)."""

    def compact(self, number: str) -> str: ...

    def validate(self, number: str) -> str: ...


def tidy(value: str) -> str:
    """The generic compact form: no spaces, dots, dashes or slashes, upper-case."""
    return drop_separators(value.strip()).upper()


@dataclass(frozen=True, slots=True)
class Rule:
    """`scheme` is the stable name reported in checks; `label` completes "not a valid …"."""

    scheme: str
    label: str
    module: NumberModule
    display: Callable[[str], str] | None = None
    # False where separators or case carry meaning (the dashes of a Leitweg-ID).
    pre_tidy: bool = True

    def check(self, value: str) -> Result:
        number = tidy(value) if self.pre_tidy else value.strip()
        try:
            compact = self.module.validate(number)
        except ValidationError as error:
            return invalid(self._best_effort(number), self.scheme, reason_of(error), self.label)
        return valid(compact, self.scheme, self._format(compact))

    def _best_effort(self, number: str) -> str:
        try:
            return self.module.compact(number)
        except ValidationError:
            return number

    def _format(self, compact: str) -> str:
        display = self.display or getattr(self.module, "format", None)
        return str(display(compact)) if display else compact


def first_valid(value: str, rules: Sequence[Rule]) -> Result:
    """The first rule that accepts the value; else the failure of the rule that got furthest.

    A country may have several numbers in one field (Turkey: VKN for companies, T.C. kimlik for
    people). Their lengths differ, so an 11-digit number with a wrong check digit fails the VKN
    on length and the T.C. kimlik on its checksum; the checksum is what the user needs to hear.
    """
    failures: list[Result] = []
    for rule in rules:
        result = rule.check(value)
        if result.is_valid:
            return result
        failures.append(result)
    return max(failures, key=lambda failure: progress(failure.reason))


class Digits:
    """A number that is only a fixed count of digits: the issuer publishes no check digit."""

    def __init__(self, length: int) -> None:
        self.length = length

    def compact(self, number: str) -> str:
        return tidy(number)

    def validate(self, number: str) -> str:
        number = self.compact(number)
        if not (number.isascii() and number.isdigit()):
            raise InvalidFormat()
        if len(number) != self.length:
            raise InvalidLength()
        return number


class Ico(Digits):
    """Czech and Slovak IČO (identifikační / identifikačné číslo organizácie).

    python-stdnum 2.2 has no cz.ico or sk.ico (they exist only on its unreleased master), so the
    rule is here: 8 digits, the last a mod-11 check over the first seven with weights 8..2. It
    is the rule stdnum.cz.dic applies to a Czech company's 8-digit DIČ, which is its IČO;
    Slovakia kept the Czechoslovak numbering, so one class serves both countries.
    """

    def __init__(self) -> None:
        super().__init__(8)

    def validate(self, number: str) -> str:
        number = super().validate(number)
        total = sum(
            int(digit) * weight for digit, weight in zip(number[:7], range(8, 1, -1), strict=True)
        )
        if (11 - total % 11) % 10 != int(number[7]):
            raise InvalidChecksum()
        return number


class LowerCaseSuffix:
    """Austrian Firmenbuchnummer ("FN 122119m"): python-stdnum wants the check letter in
    lower case, while our other identifiers, and clients, upper-case it."""

    def __init__(self, module: NumberModule) -> None:
        self.module = module

    def compact(self, number: str) -> str:
        return self.module.compact(number.lower())

    def validate(self, number: str) -> str:
        return self.module.validate(number.lower())
