"""SPARQL query text, handled without parsing it: where keywords are, the project's prefixes,
rewrites for Oxigraph. Nothing here decides what is safe to run: :mod:`kg.rdf.sparql_guard`
does, on the parsed query."""

from __future__ import annotations

import re

from kg.namespaces import PREFIXES

#: Comments, string literals and IRIs: where keywords and braces are not; and the escapes of
#: prefixed names (``kg:a\\'``: the quote is part of the name, not the start of a string).
_STRIP = re.compile(
    r'\\.|#[^\n]*|"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>'
)


def code_only(text: str) -> str:
    """The query with comments, strings and IRIs blanked out, and the escapes of prefixed names
    as ``__`` (same length: positions hold)."""
    return _STRIP.sub(lambda m: "__" if m.group()[0] == "\\" else " " * len(m.group()), text)


def query_is_ordered(text: str) -> bool:
    """Whether the query ends with a top-level ORDER BY (after its last closing brace)."""
    code = code_only(text)
    return re.search(r"\bORDER\s+BY\b", code[code.rfind("}") + 1 :], re.IGNORECASE) is not None


#: One key of an ORDER BY that is a plain variable: ?x, $x, ASC(?x) or DESC(?x).
_ORDER_KEY = re.compile(r"\s*(?:(ASC|DESC)\s*\(\s*[?$](\w+)\s*\)|[?$](\w+))", re.IGNORECASE)
#: The start of a key that is an expression: ASC( DESC( ( or a function call.
_ORDER_EXPRESSION = re.compile(r"\s*(?:(ASC|DESC)\s*\(|\(|([A-Za-z_]\w*)\s*\()", re.IGNORECASE)
#: Functions an ORDER BY expression may call to be sorted outside the store: those whose value
#: depends on the row alone (no aggregates, no randomness, no clock).
_ORDER_FUNCTIONS = {
    "ASC", "DESC", "STR", "COALESCE", "LCASE", "UCASE", "STRLEN", "LANG", "DATATYPE", "IF", "BOUND",
    "YEAR", "MONTH", "DAY", "ABS", "ISIRI", "ISURI", "ISLITERAL", "ISBLANK", "ISNUMERIC",
}


def split_order(text: str) -> tuple[str, str, list[tuple[str | None, bool, str]]] | None:
    """``(query without its ORDER BY, the ORDER BY clause, keys)`` when the query ends with a
    top-level ORDER BY and nothing after it (no LIMIT, OFFSET or VALUES) whose expressions use
    only variables, literals and the functions of ``_ORDER_FUNCTIONS``; else None. Each key is
    ``(variable, descending, its text)``, the variable None when the key is an expression."""
    code = code_only(text)
    tail = code.rfind("}") + 1
    found = re.search(r"\bORDER\s+BY\b", code[tail:], re.IGNORECASE)
    if found is None:
        return None
    start, pos = tail + found.start(), tail + found.end()
    clause = code[pos:]
    if any(ch in clause for ch in "{:<") or "<" in text[pos:]:
        return None  # patterns, prefixed names or IRIs: only the store can evaluate them
    called = {name.upper() for name in re.findall(r"(?<![?$\w])([A-Za-z_]\w*)\s*\(", clause)}
    if not called <= _ORDER_FUNCTIONS:
        return None
    keys: list[tuple[str | None, bool, str]] = []
    while code[pos:].strip():
        plain = _ORDER_KEY.match(code, pos)
        if plain is not None:
            keys.append((plain.group(2) or plain.group(3), (plain.group(1) or "").upper() == "DESC", plain.group().strip()))
            pos = plain.end()
            continue
        expression = _ORDER_EXPRESSION.match(code, pos)
        if expression is None:
            return None  # LIMIT, OFFSET, a trailing VALUES ...
        depth, i = 0, expression.end() - 1
        while i < len(code):
            depth += {"(": 1, ")": -1}.get(code[i], 0)
            if depth == 0:
                break
            i += 1
        if depth:
            return None
        keys.append((None, (expression.group(1) or "").upper() == "DESC", text[expression.start() : i + 1].strip()))
        pos = i + 1
    if not keys:
        return None
    return text[:start], text[start:], keys


def select_columns(text: str) -> set[str] | None:
    """The columns of a SELECT query, read from its first SELECT clause (``?x`` and
    ``(... AS ?x)``); None for ``SELECT *`` and whatever else it cannot read."""
    code = code_only(text)
    found = re.search(r"\bSELECT\b(.*?)(?:\bWHERE\b|\{)", code, re.IGNORECASE | re.DOTALL)
    if found is None or "*" in found.group(1):
        return None
    clause = re.sub(r"^\s*(?:DISTINCT|REDUCED)\b", " ", found.group(1), flags=re.IGNORECASE)
    columns: set[str] = set()
    depth, start, bare = 0, 0, []
    for i, ch in enumerate(clause):
        if ch == "(":
            if depth == 0:
                start = i
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                return None
            if depth == 0:
                named = re.search(r"\bAS\s+[?$](\w+)\s*$", clause[start + 1 : i], re.IGNORECASE)
                if named is None:
                    return None
                columns.add(named.group(1))
        elif depth == 0:
            bare.append(ch)
    words = "".join(bare).split()
    if depth or not all(re.fullmatch(r"[?$]\w+", w) for w in words):
        return None
    return columns | {w[1:] for w in words}


def order_variables(clause: str) -> set[str]:
    """Every variable an ORDER BY clause mentions."""
    return set(re.findall(r"[?$](\w+)", code_only(clause)))


def with_prefixes(text: str) -> str:
    """The project's prefixes the query does not declare itself, then the query; all on its first
    line, so that line numbers in the server's error messages stay the query's own."""
    declared = {
        m.group(1) for m in re.finditer(r"\bPREFIX\s+([\w.-]*):", code_only(text), re.IGNORECASE)
    }
    return "".join(f"PREFIX {p}: <{ns}> " for p, ns in PREFIXES.items() if p not in declared) + text


#: Words that make a group more than triple patterns (or that a LATERAL cannot take).
_NOT_PLAIN = re.compile(
    r"\b(?:FILTER|BIND|VALUES|OPTIONAL|GRAPH|MINUS|SERVICE|SELECT|UNION|EXISTS|LATERAL)\b", re.IGNORECASE
)
#: Property-path operators in a pattern (IRIs and strings blanked out first): a / between
#: terms, | (not ||), ^ (not ^^), and a * + or ? after a term.
PATH_SYNTAX = re.compile(r"[\w>)]\s*/|(?<!\|)\|(?!\|)|(?<!\^)\^(?!\^)|[\w>)][*+?](?!\w)")
_OPTIONAL = re.compile(r"\bOPTIONAL\s*\{", re.IGNORECASE)


def close_brace(code: str, start: int) -> int:
    """The index of the brace that closes the group open at ``start`` (just after its ``{``),
    in text from :func:`code_only`; ValueError when there is none."""
    depth = 0
    for i in range(start, len(code)):
        if code[i] == "{":
            depth += 1
        elif code[i] == "}":
            if depth == 0:
                return i
            depth -= 1
    raise ValueError("unbalanced braces")


def lateral_optionals(text: str) -> str:
    """Each ``OPTIONAL { P }`` whose ``P`` is plain triple patterns (no filter, path, nested
    group or sub-query) as ``LATERAL { OPTIONAL { P } }`` (SEP-0006, which Oxigraph supports).

    The solutions are the same: ``P`` evaluated with each row's bindings gives exactly the
    solutions of ``P`` compatible with the row, once each. But Oxigraph 0.5 evaluates an
    OPTIONAL by matching ``P`` against the whole store and joining by hash, and a LATERAL by
    looking ``P`` up with each row's bindings: ``targets-vs-reported`` at a million firms
    (42,000 targets beside 95,000 reported figures), 6.3 s against 2.9 s. Only for Oxigraph:
    rdflib and other servers do not read LATERAL."""
    out, pos = [], 0
    code = code_only(text)
    for found in _OPTIONAL.finditer(code):
        if found.start() < pos:
            continue
        try:
            end = close_brace(code, found.end())
        except ValueError:
            break  # (the store's parser says what is wrong)
        body = code[found.end() : end]
        if "{" in body or "(" in body or _NOT_PLAIN.search(body) or PATH_SYNTAX.search(body):
            continue
        out.append(text[pos : found.start()])
        out.append(f"LATERAL {{ {text[found.start() : end + 1]} }}")
        pos = end + 1
    out.append(text[pos:])
    return "".join(out)
