"""Finds text that looks like an internal code (snake_case, dotted ids, enum values) where a person reads it.

What a person reads: the text of an HTML page outside <code>, <pre>, <script>, <style> and <svg> (attribute
values are not read: ids, names, hrefs), and the text of an e-mail. Real things that look like codes are
removed first: e-mail addresses, URLs and paths, file names, decimal numbers, dates and version numbers.
"""

from __future__ import annotations

import enum
import importlib
import pkgutil
import re
from html.parser import HTMLParser

import labelapp

SKIPPED_ELEMENTS = {"code", "pre", "script", "style", "svg", "kbd", "samp"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

ALLOWED = [
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),  # e-mail addresses
    re.compile(r"\b(?:https?|mailto|did):[^\s<>\"]+"),  # URLs and DIDs
    re.compile(r"(?<![\w.])/[\w./%?=&#-]*"),  # paths
    re.compile(r"\b[\w-]+(?:\.[\w-]+)*\.(?:pdf|odt|docx?|ods|xlsx?|csv|png|jpe?g|svg|json|jsonl|yaml|txt|html|zip)\b",
               re.IGNORECASE),  # file names
    re.compile(r"\b(?:[\w-]+\.)+(?:ee|eu|org|com|net|ee)\b"),  # host names (demo.kaasav.ee)
    re.compile(r"\b\d+(?:[.,:]\d+)+\b"),  # numbers, dates, times, versions
]
SNAKE = re.compile(r"\b[A-Za-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
DOTTED = re.compile(r"\b[a-z][a-z0-9-]*(?:\.[a-z][a-z0-9_-]*)+\b")


def enum_values() -> set[str]:
    """Every value of every StrEnum in the app (imported module by module)."""
    for module in pkgutil.walk_packages(labelapp.__path__, "labelapp."):
        importlib.import_module(module.name)
    values: set[str] = set()
    stack = [enum.StrEnum]
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if cls.__module__.startswith("labelapp."):
            values.update(member.value for member in cls)
    return values


class _Text(HTMLParser):
    def __init__(self, skip_language: str | None):
        super().__init__(convert_charrefs=True)
        self.skip_language = skip_language
        self.skipping: list[str] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        if tag in SKIPPED_ELEMENTS or (self.skip_language and dict(attrs).get("lang") == self.skip_language) \
                or self.skipping:
            self.skipping.append(tag)

    def handle_endtag(self, tag):
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def readable_text(html: str, skip_language: str | None = None) -> str:
    """The text a person reads; ``skip_language`` leaves out elements marked as in that language (the English
    half of a bilingual e-mail subject on an Estonian page, ``<span lang="en">``)."""
    parser = _Text(skip_language)
    parser.feed(html)
    parser.close()
    return " ".join(" ".join(parser.parts).split())


def codes_in(text: str, words: set[str] = frozenset()) -> list[str]:
    """Things in ``text`` that look like internal codes: snake_case, dotted ids and any of ``words`` (enum
    values, as whole lower-case words), each with a little context."""
    for pattern in ALLOWED:
        text = pattern.sub(" ", text)
    found = []
    for match in [*SNAKE.finditer(text), *DOTTED.finditer(text)]:
        found.append(text[max(0, match.start() - 40):match.end() + 40])
    if words:
        for match in re.finditer(r"(?<![\w-])(" + "|".join(map(re.escape, sorted(words))) + r")(?![\w-])", text):
            found.append(text[max(0, match.start() - 40):match.end() + 40])
    return found
