"""The services of the web interface's people, over one storage, built once per process."""

from __future__ import annotations

from dataclasses import dataclass

from counterparty.services.hierarchy import ContactHierarchy
from counterparty.services.people import PeopleTransactions, PeopleUnitOfWorkFactory
from counterparty.services.sign_in import SignInService
from counterparty.services.transactions import Transactions
from counterparty.services.users import UserService


@dataclass(frozen=True)
class PeopleServices:
    users: UserService
    sign_in: SignInService
    hierarchy: ContactHierarchy

    @classmethod
    def over(cls, factory: PeopleUnitOfWorkFactory) -> PeopleServices:
        transactions = PeopleTransactions(factory)
        return cls(
            users=UserService(transactions),
            sign_in=SignInService(transactions),
            hierarchy=ContactHierarchy(Transactions(factory)),
        )
