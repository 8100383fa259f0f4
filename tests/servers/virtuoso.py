"""A real OpenLink Virtuoso for tests: Debian's ``virtuoso-opensource`` (7.2.5), a private instance
started once per session and stopped by its PID at the end.

The instance has its own database in a temporary folder (removed at the end), its own
``virtuoso.ini`` (the packaged one's essentials) and free loopback ports for SQL and HTTP; it is
run in the foreground (``virtuoso-t -f -c INI``) as a subprocess. The packaged service and its
database under /var/lib are never used. ``make virtuoso`` (a prerequisite of ``make test``)
installs the package with apt-get when it is missing.

If it cannot start, every test that uses it fails with the reason (the end of its log): no
skipping. A pytest plugin: ``pytest_plugins = ["tests.servers.virtuoso"]`` in a conftest.py, or import
the fixture directly.

A fresh instance answers in about 2 s (2.1-2.6 s measured on 2 shared cores). Its DBA password is
set to a random one at start (``server.password``); Virtuoso creates its databases with dba/dba.
"""

from __future__ import annotations

import secrets
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.servers.process import answers, free_port
from tests.servers.process import stop_server_process as stop_process

START_TIMEOUT = 60.0
STOP_TIMEOUT = 30.0
DEFAULT_MAX_ROWS = 10000  # the packaged ini's [SPARQL] ResultSetMaxRows
PACKAGE_HINT = "make virtuoso (apt-get install virtuoso-opensource)"

INI_TEMPLATE = """\
; A private test instance; the essentials of /usr/share/virtuoso-opensource-7/virtuoso.ini.
[Database]
DatabaseFile       = {root}/db/virtuoso.db
ErrorLogFile       = {root}/db/virtuoso.log
LockFile           = {root}/db/virtuoso.lck
TransactionFile    = {root}/db/virtuoso.trx
xa_persistent_file = {root}/db/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {root}/db/virtuoso-temp.db
TransactionFile    = {root}/db/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort               = 127.0.0.1:{sql_port}
DisableUnixSocket        = 1
DisableTcpSocket         = 0
MaxClientConnections     = 10
CheckpointInterval       = 60
CaseMode                 = 2
AllowOSCalls             = 0
; the bulk loader (ld_dir) reads only from these folders
DirsAllowed              = ., {root}/load
ThreadsPerQuery          = 2
NumberOfBuffers          = 10000
MaxDirtyBuffers          = 6000
MaxQueryMem              = 512M

[HTTPServer]
ServerPort                  = 127.0.0.1:{http_port}
ServerRoot                  = {root}/vsp
MaxClientConnections        = 10
ServerThreads               = 10
MaxKeepAlives               = 10
KeepAliveTimeout            = 10
Charset                     = UTF-8
EnabledGzipContent          = 0

[SPARQL]
ResultSetMaxRows           = {max_rows}
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime      = 60
"""


class IsqlError(RuntimeError):
    """An ``isql-vt`` script failed; the message holds Virtuoso's error lines."""


@dataclass
class VirtuosoServer:
    """A running private Virtuoso.

    ``sparql_url`` answers queries (anonymous, read-only); ``sparql_auth_url`` takes queries and
    SPARQL Update with digest auth; ``store_url`` is the Graph Store Protocol endpoint for writes
    (digest auth, ``user``/``password``); ``isql()`` runs SQL on the SQL port (the bulk loader,
    grants, clean-up).
    """

    base: str
    sql_port: int
    process: subprocess.Popen
    root: Path
    ini: Path
    log: Path
    password: str
    start_seconds: float
    max_rows: int = DEFAULT_MAX_ROWS
    user: str = "dba"
    system_graphs: dict[str, int] = field(default_factory=dict)

    @property
    def http_port(self) -> int:
        return int(self.base.rsplit(":", 1)[1])

    @property
    def sparql_url(self) -> str:
        return f"{self.base}/sparql"

    @property
    def sparql_auth_url(self) -> str:
        return f"{self.base}/sparql-auth"

    @property
    def store_url(self) -> str:
        """Graph Store Protocol for writes (digest auth); ``?graph=IRI`` (``default`` is refused)."""
        return f"{self.base}/sparql-graph-crud-auth"

    @property
    def store_read_url(self) -> str:
        return f"{self.base}/sparql-graph-crud"

    @property
    def load_dir(self) -> Path:
        """The one folder the bulk loader may read (in DirsAllowed)."""
        return self.root / "load"

    # --- HTTP -------------------------------------------------------------------------------

    def opener(self) -> urllib.request.OpenerDirector:
        """A urllib opener that answers Virtuoso's digest challenge as ``dba``."""
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, self.base, self.user, self.password)
        return urllib.request.build_opener(urllib.request.HTTPDigestAuthHandler(passwords))

    def query(self, sparql: str, accept: str = "application/sparql-results+json",
              params: dict[str, str | list[str]] | None = None, auth: bool = False) -> bytes:
        """POST a query (form-encoded) and return the body; HTTPError on a non-2xx answer."""
        fields: list[tuple[str, str]] = [("query", sparql)]
        for key, value in (params or {}).items():
            fields += [(key, v) for v in ([value] if isinstance(value, str) else value)]
        request = urllib.request.Request(
            self.sparql_auth_url if auth else self.sparql_url,
            data=urllib.parse.urlencode(fields).encode(),
            headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
        )
        open_ = self.opener().open if auth else urllib.request.urlopen
        with open_(request, timeout=120) as r:
            return r.read()

    def graphs(self) -> dict[str, int]:
        """Every named graph on the server with its quad count (read through SQL: no row limit)."""
        out = self.isql(
            "SELECT ID_TO_IRI(G), COUNT(*) FROM DB.DBA.RDF_QUAD GROUP BY G ORDER BY 1;"
        )
        found: dict[str, int] = {}
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 2 and parts[1].isdigit() and ":" in parts[0]:
                found[parts[0]] = int(parts[1])
        return found

    # --- SQL --------------------------------------------------------------------------------

    def isql(self, *statements: str, timeout: float = 300, check: bool = True) -> str:
        """Run SQL statements (each ending in ``;``) with ``isql-vt`` as dba; return its output.

        IsqlError if any statement fails (``*** Error`` in the output) and ``check`` is set.
        """
        return run_isql(self.sql_port, self.user, self.password, statements, timeout=timeout, check=check)

    def bulk_load(self, source: Path, graph: str, pattern: str | None = None) -> int:
        """Load a file (or a folder's files) with Virtuoso's bulk loader; return the quads added.

        ``graph`` is the graph for triples (N-Triples, Turtle); N-Quads and TriG keep their own
        graphs. Files are copied into ``load_dir`` first (the loader reads only allowed folders).
        """
        before = int(self.isql_value("SELECT COUNT(*) FROM DB.DBA.RDF_QUAD;"))
        batch = self.load_dir / f"batch-{secrets.token_hex(4)}"
        batch.mkdir(parents=True)
        sources = sorted(p for p in source.iterdir() if p.is_file()) if source.is_dir() else [source]
        for src in sources:
            shutil.copy2(src, batch / src.name)
        pattern = pattern or "*"
        self.isql(
            f"ld_dir('{batch}', '{_sql_text(pattern)}', '{_sql_text(graph)}');",
            "rdf_loader_run();",
            "checkpoint;",
        )
        failed = self.isql(
            f"SELECT ll_file, ll_error FROM DB.DBA.LOAD_LIST "
            f"WHERE ll_file LIKE '{batch}/%' AND ll_error IS NOT NULL;"
        )
        if str(batch) in failed:
            raise IsqlError(f"the bulk loader refused a file: {failed.strip()}")
        shutil.rmtree(batch, ignore_errors=True)
        return int(self.isql_value("SELECT COUNT(*) FROM DB.DBA.RDF_QUAD;")) - before

    def isql_value(self, statement: str) -> str:
        """The single value a one-row, one-column SELECT answers."""
        lines = [ln.strip() for ln in self.isql(statement).splitlines() if ln.strip()]
        return lines[-1]

    def drop_graph(self, graph: str) -> None:
        """Remove one graph's quads (SQL, so it is not subject to SPARQL permissions)."""
        self.isql(f"SPARQL CLEAR GRAPH <{graph}>;")

    def clear(self) -> None:
        """Drop every graph that was not on the fresh instance (Virtuoso's system graphs stay)."""
        for graph in self.graphs():
            if graph not in self.system_graphs:
                self.drop_graph(graph)


def _sql_text(text: str) -> str:
    return text.replace("'", "''")


def run_isql(port: int, user: str, password: str, statements, timeout: float = 300,
             check: bool = True) -> str:
    exe = shutil.which("isql-vt")
    if exe is None:
        raise RuntimeError(f"isql-vt not found: {PACKAGE_HINT}")
    script = "\n".join(statements) + "\n"
    result = subprocess.run(
        [exe, f"127.0.0.1:{port}", user, password,
         "VERBOSE=OFF", "BANNER=OFF", "PROMPT=OFF", "ECHO=OFF", "ERRORS=STDOUT"],
        input=script, capture_output=True, text=True, timeout=timeout,
    )
    out = result.stdout + result.stderr
    if check and ("*** Error" in out or result.returncode != 0):
        errors = [ln for ln in out.splitlines() if "Error" in ln or ln.startswith("at line")]
        raise IsqlError(f"isql-vt failed (exit {result.returncode}): {' | '.join(errors) or out[-500:]}")
    return out


def _log_tail(root: Path, lines: int = 15) -> str:
    text = ""
    for name in ("db/virtuoso.log", "stdout.log"):
        path = root / name
        if path.exists():
            text += path.read_text(errors="replace")
    return "\n".join(text.strip().splitlines()[-lines:])


def start_server(root: Path, max_rows: int = DEFAULT_MAX_ROWS) -> VirtuosoServer:
    """Start a private ``virtuoso-t`` in ``root`` and wait until /sparql answers.

    RuntimeError with the reason (the end of its log) if it does not.
    """
    exe = shutil.which("virtuoso-t")
    if exe is None:
        raise RuntimeError(f"virtuoso-t not found: {PACKAGE_HINT}")
    last = ""
    for _ in range(3):  # another process may take a free port first
        for sub in ("db", "load", "vsp"):
            shutil.rmtree(root / sub, ignore_errors=True)
            (root / sub).mkdir(parents=True)
        sql_port, http_port = free_port(), free_port()
        if sql_port == http_port:
            continue
        ini = root / "virtuoso.ini"
        ini.write_text(INI_TEMPLATE.format(root=root, sql_port=sql_port, http_port=http_port,
                                           max_rows=max_rows))
        base = f"http://127.0.0.1:{http_port}"
        began = time.monotonic()
        with (root / "stdout.log").open("wb") as out:
            proc = subprocess.Popen([exe, "-f", "-c", str(ini)], cwd=root / "db",
                                    stdout=out, stderr=subprocess.STDOUT)
        deadline = began + START_TIMEOUT
        while time.monotonic() < deadline and proc.poll() is None:
            if answers(f"{base}/sparql?query=ASK%7B%7D"):
                took = time.monotonic() - began
                password = "kg" + secrets.token_hex(8)  # letters and digits: SET PASSWORD takes a bare name
                try:
                    run_isql(sql_port, "dba", "dba", [f"SET PASSWORD dba {password};", "checkpoint;"])
                except (RuntimeError, subprocess.SubprocessError, OSError) as exc:
                    stop_server_process(proc)
                    raise RuntimeError(f"Virtuoso started but its DBA password could not be set: {exc}")
                server = VirtuosoServer(base, sql_port, proc, root, ini, root / "db/virtuoso.log",
                                        password, took, max_rows)
                server.system_graphs = server.graphs()
                return server
            time.sleep(0.2)
        stop_server_process(proc)
        last = _log_tail(root)
    raise RuntimeError(
        f"virtuoso-t did not answer on 127.0.0.1 within {START_TIMEOUT:g} s; the end of its log:\n{last}"
    )


def stop_server_process(proc: subprocess.Popen) -> None:
    """Stop the server by its PID (Virtuoso checkpoints on SIGTERM: it gets longer)."""
    stop_process(proc, timeout=STOP_TIMEOUT)


@pytest.fixture(scope="session")
def virtuoso_server():
    """A private Virtuoso for the session (system graphs only at start; ``clear()`` before filling)."""
    root = Path(tempfile.mkdtemp(prefix="kg-virtuoso-"))
    try:
        server = start_server(root)
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        shutil.rmtree(root, ignore_errors=True)
        pytest.fail(f"cannot start the Virtuoso server: {exc}", pytrace=False)
    try:
        yield server
    finally:
        stop_server_process(server.process)
        shutil.rmtree(root, ignore_errors=True)
