"""OData 4.0 `$filter`: its grammar, its evaluation over an entity, and `$orderby`'s order.

`$filter` is parsed by a small recursive-descent parser (precedence: `or` < `and` < `not` <
comparison < primary) over the subset: `eq ne gt ge lt le`, `and or not`, parentheses, the
functions `contains startswith endswith tolower toupper`, literals (strings with `''`, numbers,
`true false null`, date-times, GUIDs) and property names. Anything else is refused with a
message naming the construct (`Unsupported`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from counterparty.dialects.scanning import compare

Node = tuple[Any, ...]  # ("or"|"and", left, right) ("not", node) ("cmp", op, l, r) ...
COMPARISONS = ("eq", "ne", "gt", "ge", "lt", "le")
MAX_NUMBER_LENGTH = 40
# A filter's size and nesting are bounded (ASP.NET OData bounds its nodes to 100 by default),
# so that no filter runs the parser or the evaluation out of stack.
MAX_TOKENS = 300
MAX_DEPTH = 32
FUNCTIONS = {"contains": 2, "startswith": 2, "endswith": 2, "tolower": 1, "toupper": 1}
_TOKEN = re.compile(
    r"\s*(?:(?P<string>'(?:[^']|'')*')|(?P<guid>[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}"
    r"-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})"
    r"|(?P<moment>[0-9]{4}-[0-9]{2}-[0-9]{2}(?:T[0-9:.]+(?:Z|[+-][0-9]{2}:[0-9]{2})?)?)"
    r"|(?P<number>-?[0-9]+(?:\.[0-9]+)?)|(?P<word>[A-Za-z_][A-Za-z0-9_/]*)|(?P<punct>[(),]))"
)


class Unsupported(ValueError):
    """A `$filter` the parser does not take; the message names the construct."""


@dataclass
class _Parser:
    tokens: list[tuple[str, str]]
    position: int = 0
    depth: int = 0  # of the parentheses, negations and function calls open here

    def nested(self, inner: Callable[[], Node]) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise Unsupported(f"the filter nests deeper than {MAX_DEPTH} levels")
        found = inner()
        self.depth -= 1
        return found

    def peek(self) -> tuple[str, str]:
        return self.tokens[self.position] if self.position < len(self.tokens) else ("end", "")

    def take(self) -> tuple[str, str]:
        token = self.peek()
        self.position += 1
        return token

    def expect(self, text: str) -> None:
        if self.take()[1] != text:
            raise Unsupported(f"expected '{text}'")

    def joined(self, operator: str, operand: Callable[[], Node]) -> Node:
        """`operand (operator operand)*`, left-associative."""
        left = operand()
        while self.peek() == ("word", operator):
            self.take()
            left = (operator, left, operand())
        return left

    def expression(self) -> Node:
        return self.joined("or", self.conjunction)

    def conjunction(self) -> Node:
        return self.joined("and", self.negation)

    def negation(self) -> Node:
        if self.peek() == ("word", "not"):
            self.take()
            return ("not", self.nested(self.negation))
        return self.comparison()

    def comparison(self) -> Node:
        left = self.primary()
        kind, text = self.peek()
        if kind == "word" and text in COMPARISONS:
            self.take()
            return ("cmp", text, left, self.primary())
        if kind == "word" and text in ("add", "sub", "mul", "div", "mod", "has", "in"):
            raise Unsupported(f"the operator '{text}' is not supported")
        return left

    def primary(self) -> Node:
        kind, text = self.take()
        if text == "(":
            inner = self.nested(self.expression)
            self.expect(")")
            return inner
        if kind == "string":
            return ("value", text[1:-1].replace("''", "'"))
        if kind == "number":
            if len(text) > MAX_NUMBER_LENGTH:  # beyond every Int64 and Decimal OData holds
                raise Unsupported(f"the number '{text[:20]}…' is too long")
            return ("value", float(text) if "." in text else int(text))
        if kind == "guid":
            return ("value", text.lower())
        if kind == "moment":
            return ("value", datetime.fromisoformat(text.replace("Z", "+00:00")))
        if kind == "word" and text in ("true", "false", "null"):
            return ("value", {"true": True, "false": False, "null": None}[text])
        if kind == "word" and self.peek()[1] == "(":
            if text not in FUNCTIONS:
                raise Unsupported(f"the function '{text}' is not supported")
            self.take()
            arguments = [self.nested(self.expression)]
            while self.peek()[1] == ",":
                self.take()
                arguments.append(self.nested(self.expression))
            self.expect(")")
            if len(arguments) != FUNCTIONS[text]:
                raise Unsupported(f"{text} takes {FUNCTIONS[text]} argument(s)")
            return ("call", text, *arguments)
        if kind == "word":
            return ("property", text)
        raise Unsupported(f"unexpected '{text or 'end of the filter'}'")


def parse_filter(text: str, properties: Sequence[str]) -> Node:
    """The syntax tree of a `$filter`; properties must be among `properties`."""
    tokens: list[tuple[str, str]] = []
    position = 0
    while position < len(text.rstrip()):
        found = _TOKEN.match(text, position)
        if found is None or found.end() == position:
            raise Unsupported(f"cannot read the filter at '{text[position : position + 20]}'")
        kind = found.lastgroup or ""
        tokens.append((kind, found.group(kind)))
        if len(tokens) > MAX_TOKENS:
            raise Unsupported(f"the filter is longer than {MAX_TOKENS} terms")
        position = found.end()
    parser = _Parser(tokens)
    tree = parser.expression()
    if parser.peek()[0] != "end":
        raise Unsupported(f"unexpected '{parser.peek()[1]}'")
    for name in _properties(tree):
        if name not in properties:
            raise Unsupported(f"'{name}' is not a property of the entity")
    return tree


def _properties(node: Node) -> list[str]:
    if node[0] == "property":
        return [node[1]]
    return [name for part in node[1:] if isinstance(part, tuple) for name in _properties(part)]


def _comparable(left: Any, right: Any) -> tuple[Any, Any]:
    """Values of the entity (JSON) made comparable with the filter's literals."""
    if isinstance(right, datetime) and isinstance(left, str):
        try:
            return datetime.fromisoformat(left.replace("Z", "+00:00")), right
        except ValueError:
            return left, str(right)
    if isinstance(left, str) and isinstance(right, str):
        return left.lower() if _is_guid(left) else left, right
    return left, right


def _is_guid(text: str) -> bool:
    return re.fullmatch(r"[0-9a-fA-F-]{36}", text) is not None


_CALLS: Mapping[str, Callable[..., Any]] = {
    "contains": partial(compare, "contains"),
    "startswith": lambda text, part: isinstance(text, str) and text.startswith(str(part)),
    "endswith": lambda text, part: isinstance(text, str) and text.endswith(str(part)),
    "tolower": lambda text: text.lower() if isinstance(text, str) else text,
    "toupper": lambda text: text.upper() if isinstance(text, str) else text,
}


def evaluate(node: Node, entity: Mapping[str, Any]) -> Any:
    """The value of a filter (sub)expression for one entity, as the vendor shows it."""
    kind = node[0]
    if kind == "value":
        return node[1]
    if kind == "property":
        return entity.get(node[1])
    if kind == "or":
        return bool(evaluate(node[1], entity)) or bool(evaluate(node[2], entity))
    if kind == "and":
        return bool(evaluate(node[1], entity)) and bool(evaluate(node[2], entity))
    if kind == "not":
        return not evaluate(node[1], entity)
    if kind == "call":
        return _CALLS[node[1]](*(evaluate(argument, entity) for argument in node[2:]))
    left, right = _comparable(evaluate(node[2], entity), evaluate(node[3], entity))
    return compare(node[1], left, right)


def sort_key(value: Any) -> tuple[int, Any]:
    """Nulls first, then values of one kind in their order (OData's default)."""
    return (0, "") if value is None else (1, value if not isinstance(value, bool) else int(value))
