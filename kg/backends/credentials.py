"""Credentials for a server that asks for them (HTTP basic or digest authentication).

The user name comes from ``--user``; the password from the environment variable
``KG_ENDPOINT_PASSWORD`` or else from ``~/.netrc`` (the entry of the server's host for that
user), read only when ``--user`` is given. Never from the command line (it would show in ``ps`` and the shell's
history), never in a URL, never in a message: :class:`Credentials` shows the user alone.
They are sent only to the host they were given for, and only when the server asks (a 401).
"""

from __future__ import annotations

import netrc
import os
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

from kg.errors import UsageError

PASSWORD_ENV = "KG_ENDPOINT_PASSWORD"


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str = field(repr=False)

    def __str__(self) -> str:
        return f"user {self.user!r}"


def _netrc_entry(host: str) -> tuple[str, str] | None:
    path = os.path.join(os.path.expanduser("~"), ".netrc")
    if not os.path.exists(path):
        return None
    try:
        found = netrc.netrc(path).authenticators(host)
    except (netrc.NetrcParseError, OSError) as exc:
        raise UsageError(f"{path}: cannot read it ({type(exc).__name__}); fix or remove it") from None
    if found is None or not found[2]:
        return None
    return found[0] or "", found[2]


def find_credentials(user: str | None, url: str) -> Credentials | None:
    """The credentials for ``url``'s host: ``user`` with the password of ``KG_ENDPOINT_PASSWORD``
    or else of ``~/.netrc`` (its entry for the host); None without ``user`` (no file is read
    unless credentials were asked for)."""
    if user is None:
        return None
    host = urllib.parse.urlsplit(url).hostname or ""
    password = os.environ.get(PASSWORD_ENV)
    if password is None:
        entry = _netrc_entry(host)
        if entry is None or (entry[0] and entry[0] != user):
            raise UsageError(
                f"--user {user}: no password; set it in the environment variable {PASSWORD_ENV} "
                f"or in ~/.netrc (machine {host} login {user} password ...)"
            )
        password = entry[1]
    return Credentials(user, password)


def auth_handlers(credentials: Credentials, *urls: str) -> list[urllib.request.BaseHandler]:
    """urllib handlers that answer a basic or digest challenge from the hosts of ``urls``."""
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    for url in urls:
        parts = urllib.parse.urlsplit(url)
        passwords.add_password(None, f"{parts.scheme}://{parts.netloc}/", credentials.user, credentials.password)
    return [urllib.request.HTTPBasicAuthHandler(passwords), urllib.request.HTTPDigestAuthHandler(passwords)]
