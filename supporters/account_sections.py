"""Sections other apps add to a supporter's account page and to their data export.

Supporters sits below newsletters and must not import it, so an app that keeps something of
a supporter's registers here in its AppConfig.ready: a function that renders its part of the
account page, and one that gives its part of "download my data". The account page and the
export show whatever is registered, in the order given.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    key: str
    render: Callable  # (request, supporter) -> safe HTML for the account page
    export: Callable | None = None  # (supporter) -> JSON-ready data under `key` in the export
    order: int = 50


_sections: dict[str, Section] = {}


def register(key, *, render, export=None, order=50):
    """Register (or replace, so a reload of ready() adds nothing twice) one section."""
    _sections[key] = Section(key, render, export, order)


def sections():
    return sorted(_sections.values(), key=lambda section: (section.order, section.key))


def rendered(request, supporter):
    return [section.render(request, supporter) for section in sections()]


def exported(supporter):
    return {section.key: section.export(supporter) for section in sections() if section.export}
