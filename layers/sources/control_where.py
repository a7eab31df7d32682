"""Check that a ``--control-where`` condition is one SQL expression before GDAL sees it.

GDAL evaluates the condition as OGR SQL, or hands it to SQLite for a GeoPackage, as the
``WHERE`` clause of a query it builds. SQLite stops at a ``;`` and ignores what follows, and
either engine would run a subquery or a function the condition names. So the text must be one
expression built from the documented pieces: field names (bare or in double quotes), quoted
strings, numbers, ``NULL``, the comparisons ``= == <> != < <= > >=``, ``AND``, ``OR``, ``NOT``,
``IN (...)``, ``LIKE``/``ILIKE`` (with ``ESCAPE``), ``IS [NOT] NULL``, ``BETWEEN ... AND ...``,
arithmetic (``+ - * / % ||``), parentheses, and the functions of :data:`ALLOWED_FUNCTIONS`.
No ``;``, no comment, no subquery.

A ``;``, a comment, a word that starts a subquery or another statement, and a call of a function
not allowed are found by scanning the tokens, wherever they are; they are refused as
:class:`ConditionError`. Any other departure from the grammar is a
:class:`ConditionSyntaxError`: the engines refuse such text too, so a caller may let GDAL word
the reason (with the layer's fields in view) instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

MAX_CONDITION_CHARS = 2_000  # a condition picks categories of features; none needs more
MAX_NESTING = 32  # parentheses and NOTs inside each other
# Functions a condition may call: text and number helpers both OGR SQL and SQLite know (or that
# one of them refuses with its own message); nothing that reads, writes or fetches.
ALLOWED_FUNCTIONS = ("ABS", "CAST", "COALESCE", "LENGTH", "LOWER", "SUBSTR", "TRIM", "UPPER")
# Words that start another statement or a subquery: never part of a condition.
_STATEMENT_WORDS = frozenset(
    {
        "ALTER",
        "ATTACH",
        "CREATE",
        "DELETE",
        "DETACH",
        "DROP",
        "EXCEPT",
        "EXISTS",
        "FROM",
        "GROUP",
        "HAVING",
        "INSERT",
        "INTERSECT",
        "INTO",
        "JOIN",
        "LIMIT",
        "ORDER",
        "PRAGMA",
        "REPLACE",
        "SELECT",
        "UNION",
        "UPDATE",
        "VACUUM",
        "VALUES",
        "WHERE",
        "WITH",
    }
)
_KEYWORDS = frozenset({"AND", "OR", "NOT", "IN", "LIKE", "ILIKE", "ESCAPE", "IS", "NULL", "BETWEEN", "AS"})
_OPERATORS = ("<=", ">=", "<>", "!=", "==", "||", "=", "<", ">", "(", ")", ",", "+", "-", "*", "/", "%")
_COMPARISONS = frozenset({"=", "==", "<>", "!=", "<", "<=", ">", ">="})


class ConditionError(ValueError):
    """The text is not one condition; the message says why and at which character (from 1)."""


class ConditionSyntaxError(ConditionError):
    """The text breaks the grammar of a condition but holds nothing unsafe (no ``;``, comment,
    subquery or function not allowed): GDAL and SQLite refuse it as well."""


@dataclass(frozen=True)
class _Token:
    kind: str  # "word", "quoted", "string", "number", "op", "unknown" (a character no condition uses), "end"
    text: str
    at: int  # index of its first character

    @property
    def word(self) -> str:
        """The keyword it spells in upper case, or "" (a quoted name is never a keyword)."""
        return self.text.upper() if self.kind == "word" else ""


def check_condition(where: str) -> None:
    """Refuse ``where`` unless it is one SQL expression (see the module's docstring).

    Raises
    ------
    ConditionError
        One line: what is wrong (a ``;``, a comment, a subquery or another statement, a function
        not allowed, too long or empty) and the character where it was found, counted from 1.
    ConditionSyntaxError
        Nothing of the above, but not an expression of the grammar (what was expected where).
    """
    if len(where) > MAX_CONDITION_CHARS:
        raise ConditionError(f"it has {len(where):,} characters; a condition has at most {MAX_CONDITION_CHARS:,}")
    if not where.strip():
        raise ConditionError("it is empty")
    tokens = _tokens(where)
    _check_words(tokens)
    _Parser(tokens).condition()


def _check_words(tokens: list[_Token]) -> None:
    """Refuse words that start a subquery or another statement, and calls of functions not in
    :data:`ALLOWED_FUNCTIONS`, wherever they stand."""
    for previous, token, following in zip([None, *tokens], tokens, tokens[1:]):
        if token.word in _STATEMENT_WORDS:
            kind = "a subquery" if token.word in ("SELECT", "WITH", "EXISTS", "VALUES") else "another statement"
            raise ConditionError(f"{token.text} at character {token.at + 1} starts {kind}; expected a condition on the layer's fields")
        type_name = previous is not None and previous.word == "AS"  # CAST(x AS VARCHAR(10))
        calls = token.kind == "word" and token.word not in _KEYWORDS and not type_name and following.kind == "op" and following.text == "("
        if calls and token.word not in ALLOWED_FUNCTIONS:
            raise ConditionError(f"function {token.text}() at character {token.at + 1} is not allowed; a condition may call {', '.join(ALLOWED_FUNCTIONS)}")


def _tokens(text: str) -> list[_Token]:
    """The tokens of ``text``, refusing statement separators, comments and unknown characters."""
    tokens, at = [], 0
    while at < len(text):
        char = text[at]
        if char.isspace():
            at += 1
        elif char == ";":
            raise ConditionError(f"';' at character {at + 1} ends a statement; expected a single condition")
        elif text.startswith(("--", "/*"), at):
            raise ConditionError(f"'{text[at : at + 2]}' at character {at + 1} starts a comment; expected a condition without comments")
        elif char in "'\"":
            end = _closing_quote(text, at)
            if end < 0:  # the rest is inside the string: nothing more to scan
                tokens.append(_Token("unclosed " + ("string" if char == "'" else "quoted name"), text[at:], at))
                break
            tokens.append(_Token("string" if char == "'" else "quoted", text[at:end], at))
            at = end
        elif char.isdigit() or (char == "." and text[at + 1 : at + 2].isdigit()):
            end = _number_end(text, at)
            tokens.append(_Token("number", text[at:end], at))
            at = end
        elif char.isalpha() or char == "_":
            end = at + 1
            while end < len(text) and (text[end].isalnum() or text[end] == "_"):
                end += 1
            tokens.append(_Token("word", text[at:end], at))
            at = end
        else:
            operator = next((op for op in _OPERATORS if text.startswith(op, at)), None)
            tokens.append(_Token("op", operator, at) if operator else _Token("unknown", char, at))
            at += len(operator) if operator else 1
    tokens.append(_Token("end", "", len(text)))
    return tokens


def _closing_quote(text: str, start: int) -> int:
    """The index after the quote closing the string or name opened at ``start`` (doubled quotes
    stand for one), or -1 if it is not closed."""
    quote, at = text[start], start + 1
    while True:
        at = text.find(quote, at)
        if at < 0:
            return -1
        if text[at + 1 : at + 2] != quote:
            return at + 1
        at += 2


def _number_end(text: str, start: int) -> int:
    at = start
    while at < len(text) and text[at].isdigit():
        at += 1
    if text[at : at + 1] == ".":
        at += 1
        while at < len(text) and text[at].isdigit():
            at += 1
    if text[at : at + 1] in ("e", "E"):
        sign = 1 if text[at + 1 : at + 2] in ("+", "-") else 0
        if text[at + 1 + sign : at + 2 + sign].isdigit():
            at += 1 + sign
            while at < len(text) and text[at].isdigit():
                at += 1
    return at


class _Parser:
    """A recursive-descent reader of one expression; it only checks, it builds nothing."""

    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.index = 0
        self.depth = 0

    @property
    def token(self) -> _Token:
        return self.tokens[self.index]

    def condition(self) -> None:
        self.expression()
        if self.token.kind != "end":
            raise self.expected("the end of the condition (one condition, combined with AND or OR)")

    def expression(self) -> None:
        self.nested(self.conjunction)
        while self.token.word == "OR":
            self.advance()
            self.nested(self.conjunction)

    def conjunction(self) -> None:
        self.negation()
        while self.token.word == "AND":
            self.advance()
            self.negation()

    def negation(self) -> None:
        if self.token.word == "NOT":
            self.advance()
            self.nested(self.negation)
        else:
            self.predicate()

    def predicate(self) -> None:
        self.sum()
        word = self.token.word
        if self.token.kind == "op" and self.token.text in _COMPARISONS:
            self.advance()
            self.sum()
            return
        if word == "IS":
            self.advance()
            if self.token.word == "NOT":
                self.advance()
            self.expect_word("NULL")
            return
        if word == "NOT":  # NOT IN, NOT LIKE, NOT BETWEEN
            self.advance()
            word = self.token.word
            if word not in ("IN", "LIKE", "ILIKE", "BETWEEN"):
                raise self.expected("IN, LIKE, ILIKE or BETWEEN after NOT")
        if word == "IN":
            self.advance()
            self.value_list()
        elif word in ("LIKE", "ILIKE"):
            self.advance()
            self.sum()
            if self.token.word == "ESCAPE":
                self.advance()
                self.sum()
        elif word == "BETWEEN":
            self.advance()
            self.sum()
            self.expect_word("AND")
            self.sum()

    def value_list(self) -> None:
        self.expect_op("(")
        self.nested(self.expression)
        while self.token.text == "," and self.token.kind == "op":
            self.advance()
            self.nested(self.expression)
        self.expect_op(")")

    def sum(self) -> None:
        self.product()
        while self.token.kind == "op" and self.token.text in ("+", "-", "||"):
            self.advance()
            self.product()

    def product(self) -> None:
        self.signed()
        while self.token.kind == "op" and self.token.text in ("*", "/", "%"):
            self.advance()
            self.signed()

    def signed(self) -> None:
        if self.token.kind == "op" and self.token.text in ("+", "-"):
            self.advance()
            self.nested(self.signed)
        else:
            self.value()

    def value(self) -> None:
        token = self.token
        if token.kind in ("string", "number", "quoted") or token.word == "NULL":
            self.advance()
        elif token.kind == "op" and token.text == "(":
            self.advance()
            self.nested(self.expression)
            self.expect_op(")")
        elif token.kind == "word" and token.word not in _KEYWORDS:
            self.advance()
            if self.token.kind == "op" and self.token.text == "(":
                self.call(token)  # an allowed function: _check_words refused the others
        else:
            raise self.expected("a field name, a value or '('")

    def call(self, name: _Token) -> None:
        self.advance()  # "("
        if name.word == "CAST":
            self.nested(self.expression)
            self.expect_word("AS")
            if self.token.kind != "word":
                raise self.expected("a type name after AS")
            self.advance()
            if self.token.kind == "op" and self.token.text == "(":  # VARCHAR(20), NUMERIC(10, 2)
                self.advance()
                self.expect_kind("number")
                if self.token.kind == "op" and self.token.text == ",":
                    self.advance()
                    self.expect_kind("number")
                self.expect_op(")")
        elif not (self.token.kind == "op" and self.token.text == ")"):
            self.nested(self.expression)
            while self.token.kind == "op" and self.token.text == ",":
                self.advance()
                self.nested(self.expression)
        self.expect_op(")")

    # --- helpers ---------------------------------------------------------------------------------

    def nested(self, rule: Callable[[], object]) -> None:
        """Apply ``rule`` one level deeper, refusing conditions nested beyond :data:`MAX_NESTING`."""
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise ConditionSyntaxError(f"it nests parentheses or NOTs more than {MAX_NESTING} deep at character {self.token.at + 1}")
        rule()
        self.depth -= 1

    def advance(self) -> None:
        self.index += 1

    def expect_word(self, word: str) -> None:
        if self.token.word != word:
            raise self.expected(word)
        self.advance()

    def expect_op(self, op: str) -> None:
        if not (self.token.kind == "op" and self.token.text == op):
            raise self.expected(f"'{op}'")
        self.advance()

    def expect_kind(self, kind: str) -> None:
        if self.token.kind != kind:
            raise self.expected(f"a {kind}")
        self.advance()

    def expected(self, what: str) -> ConditionSyntaxError:
        token = self.token
        if token.kind.startswith("unclosed"):
            return ConditionSyntaxError(f"the {token.kind.removeprefix('unclosed ')} opened at character {token.at + 1} is not closed")
        found = "the end" if token.kind == "end" else f"{token.text[:40]!r}"
        return ConditionSyntaxError(f"expected {what} at character {token.at + 1}, found {found}")
