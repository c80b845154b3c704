"""An OData 4.0 service of one entity set of contacts: its root URL, `$metadata`, the set's
collection and `Set/$count`, one entity by key (`Set(<key>)`), the answer to a write, and the
query options as published parameters. The dialect brings its entity set, its CSDL document and
its writes; nothing here knows the vendor's members.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from uuid import UUID

from starlette.datastructures import URL
from starlette.requests import Request
from starlette.responses import Response

from counterparty.dialects.odata import answers, query
from counterparty.dialects.odata.answers import HEADERS
from counterparty.dialects.odata.query import ENTITY_OPTIONS, EntitySet, Options, read_options
from counterparty.dialects.openapi import SPACE
from counterparty.domain.contact import Contact
from counterparty.errors import NotFound
from counterparty.services.context import Actor
from counterparty.web.http import json_response, link_to
from counterparty.web.routing import Parameter
from counterparty.web.state import services

_WHOLE = {"type": "integer", "minimum": 0, "maximum": 999_999_999}
_BOOLEAN = {"type": "string", "pattern": "^([Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee])$"}


@dataclass(frozen=True)
class Service:
    """The service at `root_path` (`/compat/<vendor>/api/`) serving `entities`."""

    root_path: str
    entities: EntitySet
    metadata: str  # the CSDL document (`csdl.metadata`)

    def root(self, request: Request) -> str:
        """The base of every URL the service answers with (`@odata.context`, links,
        `Location`)."""
        return link_to(request, URL(self.root_path))

    def key(self, request: Request) -> UUID:
        """The key of `Set({key})`, in any of OData's spellings."""
        return answers.entity_key(request.path_params["key"], self.entities.name)

    def member(self, contact: Contact) -> Contact:
        """`contact` when the set holds it; a contact of another kind is not in the set."""
        if self.entities.holds.kind not in (None, contact.kind):
            raise NotFound(f"no {self.entities.name} with id {contact.id}")
        return contact

    def single(
        self,
        request: Request,
        actor: Actor,
        contact: Contact,
        options: Options,
        status: int = 200,
        headers: dict[str, str] | None = None,
    ) -> Response:
        """One entity as answered, its expansions and selection those of `options`."""
        contacts = services(request).contacts
        payload = self.entities.render(
            contacts, actor, contact, {}, expand=options.expand, select=options.select
        )
        shape = options.context(self.entities.expandable)
        context = f"{self.root(request)}$metadata#{self.entities.name}{shape}/$entity"
        return answers.entity_response(context, payload, status, headers)

    def written(
        self,
        request: Request,
        actor: Actor,
        contact: Contact,
        options: Options,
        *,
        status: int,
        expand: bool = False,
    ) -> Response:
        """The answer to a write (201 for a create, with `Location`): the entity, expanded when
        asked or when `expand` (the write embedded its related entity), or the 204 of
        `Prefer: return=minimal`."""
        url = f"{self.root(request)}{self.entities.name}({contact.id})"
        if (short := answers.minimal(request, url, status)) is not None:
            return short
        headers = {"Location": url} if status == 201 else {}
        options = replace(options, expand=options.expand or expand)
        return self.single(request, actor, contact, options, status, headers)

    async def collection(self, request: Request, actor: Actor) -> Response:
        """`GET Set`: a page of the set with the query options asked."""
        contacts = services(request).contacts
        params, root = request.query_params, self.root(request)
        body = query.collection(contacts, actor, self.entities, params, root)
        return json_response(body, headers=HEADERS)

    async def count(self, request: Request, actor: Actor) -> Response:
        """`GET Set/$count`: how many entities the $filter keeps, as plain text."""
        options = read_options(request.query_params, self.entities)
        total = query.count_of(services(request).contacts, actor, self.entities, options)
        return Response(str(total), media_type="text/plain", headers=HEADERS)

    async def describe(self, _request: Request, _actor: Actor) -> Response:
        """`GET $metadata`: the CSDL document."""
        return Response(self.metadata, media_type="application/xml", headers=HEADERS)

    async def delete(self, request: Request, actor: Actor) -> Response:
        """`DELETE Set({key})`: 204, no body."""
        contacts, contact_id = services(request).contacts, self.key(request)
        self.member(contacts.get(actor, contact_id))
        contacts.delete(actor, contact_id)
        return Response(status_code=204, headers=HEADERS)

    @property
    def key_parameter(self) -> Parameter:
        """`{key}` of `Set({key})`, as published."""
        return Parameter("key", "path", {"type": "string", "format": "uuid"},
                         f"The {self.entities.name.lower()}'s id (GUID); `guid'<id>'` and "
                         "`'<id>'` are taken too")  # fmt: skip

    async def entity(self, request: Request, actor: Actor) -> Response:
        """`GET Set({key})`, with `$expand` and `$select`."""
        options = read_options(request.query_params, self.entities, ENTITY_OPTIONS)
        contact = services(request).contacts.get(actor, self.key(request))
        return self.single(request, actor, self.member(contact), options)


def filter_parameter(entities: EntitySet, example: str) -> Parameter:
    """`$filter`: its grammar is no JSON schema's, so its schema is text with an example (the
    tests accept a 400 naming it)."""
    return Parameter("$filter", "query", {"type": "string", "examples": [example]},
                     "OData 4.0: eq ne gt ge lt le, and or not, contains startswith endswith "
                     f"tolower toupper, over the properties of {entities.name}")  # fmt: skip


def list_parameters(entities: EntitySet, filters: str, orders: str) -> tuple[Parameter, ...]:
    """The query options of `GET Set`, with examples of a `$filter` and an `$orderby`."""
    item = rf"{SPACE}*(?:{'|'.join(entities.expandable)})?{SPACE}*"  # $expand's, read stripped
    return (
        Parameter("$top", "query", _WHOLE),
        Parameter("$skip", "query", _WHOLE),
        Parameter("$count", "query", _BOOLEAN),
        filter_parameter(entities, filters),
        Parameter("$orderby", "query", {"type": "string", "examples": [orders]},
                  f"Properties of {entities.name}, each asc or desc"),
        Parameter("$expand", "query", {"type": "string", "pattern": rf"^{item}(?:,{item})*$"}),
    )  # fmt: skip
