"""Where a webhook may be sent: public addresses only, unless private ones are allowed.

A receiver's URL names a host; what is checked is every address the host resolves to, and
the connection then goes to an address that was checked, never to a fresh answer of the
resolver (which could have changed in between: DNS rebinding).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from counterparty.domain.webhooks import MAX_URL_LENGTH

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# The IPv6 prefix that carries an IPv4 address for NAT64 (RFC 6052): 64:ff9b::/96.
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


@dataclass(frozen=True)
class Target:
    """A receiver's URL taken apart: what is connected to and what is asked for."""

    scheme: str
    host: str  # as written (lower case), for the Host header and TLS
    port: int
    path: str  # path and query


class UnsafeUrl(ValueError):
    """A URL webhooks are not sent to; the message says why."""


def target(url: str, allow_private: bool) -> Target:
    if len(url) > MAX_URL_LENGTH:
        raise UnsafeUrl(f"at most {MAX_URL_LENGTH} characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise UnsafeUrl(f"not a valid URL ({error})") from None
    schemes = ("https", "http") if allow_private else ("https",)
    if parts.scheme not in schemes:
        raise UnsafeUrl("must start with https://")
    if not parts.hostname:
        raise UnsafeUrl("names no host")
    if parts.username is not None or parts.password is not None:
        raise UnsafeUrl("must not carry credentials; receivers verify the signature instead")
    if parts.fragment:
        raise UnsafeUrl("must not have a fragment")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    default = 443 if parts.scheme == "https" else 80
    return Target(parts.scheme, parts.hostname.lower(), port or default, path)


def literal_address(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for: mapped, 6to4, Teredo or NAT64."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def refusal(address: IPAddress) -> str | None:
    """Why a webhook may not go to `address`, or None when it is a public address.
    Loopback, private, link-local (cloud metadata at 169.254.169.254 among them), shared,
    multicast, reserved and unspecified addresses are refused, also inside IPv6."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None and (reason := refusal(embedded)):
            return reason
    for what, bad in (
        ("a loopback address", address.is_loopback),
        ("a link-local address", address.is_link_local),
        ("a multicast address", address.is_multicast),
        ("the unspecified address", address.is_unspecified),
        ("a private address", address.is_private),
        ("a reserved address", address.is_reserved),
        ("not a globally reachable address", not address.is_global),
    ):
        if bad:
            return f"{address} is {what}"
    return None


def checked(addresses: list[IPAddress], allow_private: bool) -> list[IPAddress]:
    """`addresses` if every one may be sent to (one bad answer refuses the host: an attacker
    controls which one a client picks), else UnsafeUrl."""
    if not addresses:
        raise UnsafeUrl("the host has no address")
    if not allow_private:
        for address in addresses:
            if reason := refusal(address):
                raise UnsafeUrl(f"resolves to {reason}; webhooks go to public addresses only")
    return addresses
