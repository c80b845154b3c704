"""Registry checks (VIES for EU VAT numbers), run after a write and never inside it.

A write that brings a new, well-formed EU VAT number stores its check as `pending` and
commits; a background worker then asks the registry and records `verified`, `not_found` or
`unavailable` with the evidence. An outage or a timeout never rejects or delays a write.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol
from uuid import UUID

from counterparty.domain.contact import Check, Contact, ContactInput

RegistryStatus = Literal["verified", "not_found", "unavailable"]


@dataclass(frozen=True)
class RegistryAnswer:
    status: RegistryStatus
    checked_at: datetime
    name: str | None = None
    address: str | None = None


class VatRegistry(Protocol):
    name: str

    def lookup(self, vat_number: str) -> RegistryAnswer:
        """Ask the registry; an outage or timeout is an `unavailable` answer, not an error."""
        ...


def is_registry_checkable(check: Check) -> bool:
    return check.field == "vat_number" and check.status == "valid" and check.scheme == "eu.vat"


def answered_check(check: Check, registry: str, answer: RegistryAnswer) -> Check:
    return Check.model_construct(
        field=check.field,
        status=answer.status,
        scheme=check.scheme,
        reason=None,
        evidence={
            "registry": registry,
            "checked_at": answer.checked_at.isoformat(),
            "name": answer.name,
            "address": answer.address,
        },
    )


class RegistryChecks:
    """Marks VAT checks pending and answers them in the background."""

    def __init__(self, registry: VatRegistry, executor: Executor | None = None) -> None:
        self.registry = registry
        self._executor = executor or ThreadPoolExecutor(2, thread_name_prefix="registry")

    def mark(
        self, checks: Sequence[Check], wanted: ContactInput, previous: Contact | None
    ) -> list[Check]:
        """The checks to store: a registry answer is kept while the VAT number is unchanged;
        a new number's check becomes `pending`."""
        earlier = {check.field: check for check in previous.checks} if previous else {}
        marked = []
        for check in checks:
            if is_registry_checkable(check):
                kept = earlier.get(check.field)
                same_number = previous is not None and previous.vat_number == wanted.vat_number
                if same_number and kept is not None and kept.evidence is not None:
                    check = kept
                else:
                    check = Check.model_construct(
                        field=check.field,
                        status="pending",
                        scheme=check.scheme,
                        reason=None,
                        evidence=None,
                    )
            marked.append(check)
        return marked

    def submit(self, contact: Contact, answer_with: AnswerRecorder) -> None:
        if contact.vat_number and any(
            check.field == "vat_number" and check.status == "pending" for check in contact.checks
        ):
            vat_number = contact.vat_number
            self._executor.submit(
                lambda: answer_with(contact.id, vat_number, self.registry.lookup(vat_number))
            )

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)


class AnswerRecorder(Protocol):
    def __call__(self, contact_id: UUID, vat_number: str, answer: RegistryAnswer) -> None: ...
