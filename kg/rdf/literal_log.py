"""rdflib's log of ill-typed literals, tamed: silenced while kg checks literals itself, or
turned into one line per term while a command runs. Plain logging, no rdflib import: the CLI
installs it before anything heavy is loaded."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager

XSD_NS = "http://www.w3.org/2001/XMLSchema#"


def datatype_name(datatype: str) -> str:
    """``xsd:integer`` for an XSD datatype, the IRI in angle brackets for another."""
    return "xsd:" + datatype[len(XSD_NS) :] if datatype.startswith(XSD_NS) else f"<{datatype}>"


_RDFLIB_CAST_FAILURE = "Failed to convert Literal lexical form to value"


class DropLiteralCastLog(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(_RDFLIB_CAST_FAILURE)


@contextmanager
def quiet_literal_warnings() -> Iterator[None]:
    """While inside, rdflib does not log a traceback for each ill-typed literal it parses
    (they are reported by :func:`check_literals` instead)."""
    logger = logging.getLogger("rdflib.term")
    drop = DropLiteralCastLog()
    logger.addFilter(drop)
    try:
        yield
    finally:
        logger.removeFilter(drop)


class WarnOnceOfIllTypedLiterals(logging.Filter):
    """Instead of rdflib's warning and traceback for an ill-typed literal (``kg query``,
    ``kg describe``: they do not refuse the data, as ``kg validate`` does), one line on stderr
    naming the term, once per term; nothing while :func:`quiet_literal_warnings` is in force.
    In force inside :func:`warn_of_ill_typed_literals` (a command's run)."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: set[tuple[str, str]] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if not str(record.msg).startswith(_RDFLIB_CAST_FAILURE):
            return True
        logger = logging.getLogger("rdflib.term")
        if any(isinstance(f, DropLiteralCastLog) for f in logger.filters):
            return False
        trace = record.exc_info[2] if record.exc_info else None
        where = trace.tb_frame.f_locals if trace is not None else {}
        lexical, datatype = str(where.get("lexical", "?")), str(where.get("datatype", ""))
        if (lexical, datatype) not in self.seen:
            self.seen.add((lexical, datatype))
            name = datatype_name(datatype) if datatype else "its datatype"
            print(
                f'Warning: ill-typed literal "{lexical}"^^{name}: not a valid {name}; kept as text '
                "(`kg validate` names the file and line)",
                file=sys.stderr,
            )
        return False


@contextmanager
def warn_of_ill_typed_literals() -> Iterator[None]:
    """While inside, :class:`WarnOnceOfIllTypedLiterals` replaces rdflib's log of ill-typed
    literals (the CLI wraps each command in it; library callers keep rdflib's logging)."""
    logger = logging.getLogger("rdflib.term")
    warn = WarnOnceOfIllTypedLiterals()
    logger.addFilter(warn)
    try:
        yield
    finally:
        logger.removeFilter(warn)


