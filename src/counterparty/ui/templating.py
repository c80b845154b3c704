"""The Jinja2 environment: autoescaped templates, gettext in the request's language."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context
from jinja2.runtime import Context

from counterparty.ui import i18n


@pass_context
def _gettext(context: Context, message: str) -> str:
    return str(context["translations"].gettext(message))


@pass_context
def _ngettext(context: Context, singular: str, plural: str, count: int) -> str:
    return str(context["translations"].ngettext(singular, plural, count))


@pass_context
def _country(context: Context, code: str | None) -> str:
    return i18n.country_name(code, context["language"])


@pass_context
def _moment(context: Context, value: Any) -> str:
    return i18n.moment(value, context["language"])


@pass_context
def _day(context: Context, value: Any) -> str:
    return i18n.day(value, context["language"])


@pass_context
def _number(context: Context, value: Any) -> str:
    return i18n.number(value, context["language"])


@pass_context
def _language(context: Context, code: str | None) -> str:
    return i18n.language_name(code, context["language"])


def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("counterparty.ui", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        _gettext, _ngettext, newstyle=True
    )
    env.filters.update(
        country=_country, moment=_moment, day=_day, number=_number, language=_language
    )
    return env
