"""The one SPARQL lexer: tokens, the text with strings and IRIs masked, and positions.

Several parts of the product read a query's text without running it: the endpoint (which
SERVICE endpoints a query would call, whether it names its own dataset), the remote store
(which prefixes a query uses, where Virtuoso needs its VALUES block), the in-store validator
(where ``$this`` appears in a SPARQL constraint). They all need the same thing first: to know
which characters are strings, IRIs and comments, where a keyword is not one. That knowledge
lives here and nowhere else.

>>> [t.text for t in tokens('SELECT ?s WHERE { ?s <p> "o" } # done')]
['SELECT', '?s', 'WHERE', '{', '?s', '<p>', '"o"', '}']
>>> masked_text('ASK { <a:b> ?p "#x" } # c')
'ASK { <___> ?p "__" }    '
>>> position("SELECT *\\nWHERE {", 12)
(2, 4)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Strings (long forms first), IRIs, comments: the parts of the text where a keyword is not one.
SKIPPED = re.compile(
    r"""'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\""""
    r"""|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|<[^<>"{}|^`\\\s]*>|\#[^\n]*""",
    re.S,
)

_TOKEN = re.compile(r'''
    (?P<ws>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'
              |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00B7-\uFFFF]+)
  | (?P<word>[A-Za-z_\u00C0-\uFFFF][\w\-.\u00B7-\uFFFF]*(?::[^\s{}()<>,;"']*)?
              |:[^\s{}()<>,;"']*)
  | (?P<other>\S)
''', re.X)


@dataclass(frozen=True)
class Token:
    """One token: its kind (``string``, ``iri``, ``var``, ``word`` or ``other``), its text
    and where it is in the query (``text[start:end]``)."""

    kind: str
    text: str
    start: int
    end: int

    @property
    def upper(self) -> str:
        """A keyword compared case-insensitively; other tokens as written."""
        return self.text.upper() if self.kind == "word" else self.text


def tokens(text: str) -> list[Token]:
    """The tokens of ``text``, without white space and comments."""
    found = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "other"
        if kind not in ("ws", "comment"):
            found.append(Token(kind, m.group(), m.start(), m.end()))
    return found


def masked_text(text: str) -> str:
    """``text`` with strings and IRIs blanked (``<____>``) and comments spaced out.

    The length is kept, so a position in the masked text is the same in the original, and a
    regular expression run over it never finds a keyword inside a string, IRI or comment.
    """
    def mask(m: re.Match[str]) -> str:
        token = m.group(0)
        if token.startswith("#"):
            return " " * len(token)
        return token[0] + "_" * (len(token) - 2) + token[-1]

    return SKIPPED.sub(mask, text)


def position(text: str, offset: int) -> tuple[int, int]:
    """The 1-based ``(line, column)`` of character ``offset`` in ``text``."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
