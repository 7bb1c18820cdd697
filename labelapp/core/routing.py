"""URL rules whose URL builders are compiled on first use instead of when the rule is added.

Werkzeug compiles two builder functions (Python source, parsed and compiled) for every rule as the rule is
added: for our 200-odd routes a tenth of every command's start-up, though a command builds few URLs or none.
``LazyBuildRule`` keeps Werkzeug's builders exactly, and compiles each the first time ``url_for`` needs it.
"""

from __future__ import annotations

from werkzeug.routing import Rule


class LazyBuildRule(Rule):
    def _compile_builder(self, append_unknown: bool = True):
        attribute = "_build_unknown" if append_unknown else "_build"

        def build(rule: Rule, **values):
            compiled = Rule._compile_builder(rule, append_unknown).__get__(rule, None)
            setattr(rule, attribute, compiled)  # later calls go straight to Werkzeug's builder
            return compiled(**values)

        return build
