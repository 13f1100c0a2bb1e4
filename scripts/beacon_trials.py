"""Beacon's reliability trials: what scripts/crash-trials, scripts/concurrency-trials and
scripts/soak share. Everything runs on loopback, against the real `beacon` program and a real
SQLite file or PostgreSQL server; every loop is bounded and stops by itself.

Python 3.11 standard library only. docs/reliability.md says what each trial proves and records
the figures.
"""

from __future__ import annotations

import atexit
import html.parser
import http.client
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO_PASSWORD = "beacon-demo-2012"
COUNCIL = "halton"
YEAR = "2012/13"
QUARTER = "2"
UNIT = "CED"
PLAN = "CED-2012-13"
INDICATOR = "SCS CYP09"
ENTRY = f"/c/{COUNCIL}/q/2012-13/{QUARTER}/entry/{UNIT}"
#: The refusal a losing editor must see: the quarter was changed by someone else after the page
#: was shown, and nothing was saved (crates/app/src/lifecycle.rs, changed_since).
CONFLICT_WORDS = ("Nothing was saved", "Nothing was changed")


def log(*a: object, sep: str = " ") -> None:
    print(*a, sep=sep, flush=True)


def beacon_bin(given: str | None) -> str:
    """The `beacon` program: --bin, $BEACON_BIN, or a debug build of this checkout."""
    path = given or os.environ.get("BEACON_BIN")
    if path:
        return path
    subprocess.run(["cargo", "build", "--locked", "-q", "-p", "beacon-cli"], cwd=ROOT, check=True)
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    return str(target / "debug" / "beacon")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------------------------------------
# Databases


class PgServer:
    """A throwaway PostgreSQL server in a temporary directory on 127.0.0.1 (as the `postgres`
    user when run as root, since initdb refuses root), stopped at exit."""

    def __init__(self) -> None:
        bindirs = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
        env_dir = os.environ.get("BEACON_PG_BINDIR")
        self.bin = Path(env_dir) if env_dir else (bindirs[0] if bindirs else None)
        if self.bin is None or not (self.bin / "initdb").exists():
            sys.exit("PostgreSQL's initdb and pg_ctl were not found: apt-get install -y postgresql")
        self.dir = Path(tempfile.mkdtemp(prefix="beacon-trials-pg-"))
        self.data = self.dir / "data"
        self.port = free_port()
        self.prefix: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
            self.prefix = ["runuser", "-u", "postgres", "--"]
        self.run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "--no-sync")
        opts = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.dir} -c fsync=off"
        self.run("pg_ctl", "-D", str(self.data), "-o", opts, "-l", str(self.dir / "log"), "-w", "start")
        atexit.register(self.stop)
        self.admin = f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def run(self, prog: str, *args: str) -> None:
        out = subprocess.run(self.prefix + [str(self.bin / prog), *args], capture_output=True, text=True)
        if out.returncode != 0:
            sys.exit(f"{prog} failed:\n{out.stdout}{out.stderr}")

    def new_database(self, name: str) -> str:
        psql(self.admin, f"CREATE DATABASE {name}")
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        subprocess.run(
            self.prefix + [str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"],
            capture_output=True,
        )
        shutil.rmtree(self.dir, ignore_errors=True)


def psql(url: str, sql: str) -> list[list[str]]:
    psql_bin = shutil.which("psql") or next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin/psql"))), "psql")
    out = subprocess.run(
        [str(psql_bin), url, "-X", "-At", "-F", "\x1f", "-v", "ON_ERROR_STOP=1", "-c", sql],
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        raise RuntimeError(f"psql: {out.stderr.strip()}")
    return [line.split("\x1f") for line in out.stdout.splitlines() if line]


class Db:
    """The database under trial, read directly (never through Beacon) to check what is stored."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.postgres = url.startswith("postgres")
        if self.postgres:
            psql(url, "CREATE EXTENSION IF NOT EXISTS amcheck")

    def rows(self, sql: str) -> list[list[str]]:
        if self.postgres:
            return psql(self.url, sql)
        con = sqlite3.connect(self.url.removeprefix("sqlite://"), timeout=30)
        try:
            return [["" if v is None else str(v) for v in r] for r in con.execute(sql).fetchall()]
        finally:
            con.close()

    def integrity(self) -> str | None:
        """None when the database is sound, else what is wrong."""
        if self.postgres:
            # amcheck: every B-tree index against itself and its table, every table's heap.
            try:
                psql(
                    self.url,
                    "SELECT bt_index_check(c.oid, true) FROM pg_index i "
                    "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam "
                    "JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE am.amname = 'btree' AND n.nspname = 'public'",
                )
            except RuntimeError as e:
                return f"bt_index_check: {e}"
            heap = psql(
                self.url,
                "SELECT c.relname, v.msg FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, "
                "LATERAL verify_heapam(c.oid) v WHERE c.relkind = 'r' AND n.nspname = 'public'",
            )
            return None if not heap else f"verify_heapam: {heap[:3]}"
        rows = self.rows("PRAGMA integrity_check")
        if rows != [["ok"]]:
            return f"integrity_check: {rows[:3]}"
        fk = self.rows("PRAGMA foreign_key_check")
        return None if not fk else f"foreign_key_check: {fk[:3]}"

    def audit_text(self) -> str:
        """Every audit row's entity, new value and reason, joined: what writes left."""
        rows = self.rows("SELECT entity, coalesce(new_value, ''), coalesce(reason, '') FROM audit")
        return "\n".join(" ".join(r) for r in rows)

    def has(self, sql_like_table: str, column: str, marker: str) -> bool:
        assert re.fullmatch(r"[A-Za-z0-9-]+", marker)
        return bool(self.rows(f"SELECT 1 FROM {sql_like_table} WHERE {column} LIKE '%{marker}%' LIMIT 1"))


def new_database(pg: PgServer | None, workdir: Path, name: str) -> str:
    return pg.new_database(name) if pg else f"sqlite://{workdir / (name + '.db')}"


def run_beacon(binary: str, db: str, *args: str, stdin: str | None = None, check: bool = True) -> subprocess.CompletedProcess:
    out = subprocess.run([binary, "--db", db, *args], input=stdin, capture_output=True, text=True)
    if check and out.returncode != 0:
        raise RuntimeError(f"beacon {' '.join(args)} failed ({out.returncode}):\n{out.stdout}{out.stderr}")
    return out


def demo_database(binary: str, db: str, editors: int = 0) -> None:
    """The example council with its demo users, and `editor1`… contributors for CED."""
    run_beacon(binary, db, "demo", "--no-serve")
    for i in range(1, editors + 1):
        run_beacon(
            binary, db, "user", "add", f"editor{i}", "--name", f"Editor {i}", "--role", "contributor",
            "--council", COUNCIL, "--unit", UNIT, "--password-stdin", stdin=DEMO_PASSWORD + "\n",
        )


# ---------------------------------------------------------------------------------------------
# The web app


class Server:
    """`beacon serve` on a free loopback port."""

    def __init__(self, binary: str, db: str) -> None:
        self.port = free_port()
        self.killed = False
        self.proc = subprocess.Popen(
            [binary, "--db", db, "serve", "--addr", f"127.0.0.1:{self.port}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        atexit.register(self.kill)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"beacon serve exited with {self.proc.returncode}")
            try:
                if Browser(self.port, timeout=2).get("/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError("beacon serve did not answer /healthz within 60 s")

    def kill(self) -> None:
        self.killed = True
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()

    def peak_rss_kib(self) -> int:
        try:
            status = Path(f"/proc/{self.proc.pid}/status").read_text()
        except OSError:
            return 0
        m = re.search(r"VmHWM:\s+(\d+) kB", status)
        return int(m.group(1)) if m else 0


class Form(html.parser.HTMLParser):
    """The fields of every form of a page, by action: what a browser would send."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: dict[str, list[list[str]]] = {}
        self.current: list[list[str]] | None = None
        self.textarea: list[str] | None = None
        self.select: tuple[str, list[str | None]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self.current = self.forms.setdefault(a.get("action", ""), [])
        elif self.current is None:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("submit", "file", "button") or (kind in ("checkbox", "radio") and "checked" not in a):
                return
            self.current.append([a["name"], a.get("value", "")])
        elif tag == "textarea" and a.get("name"):
            self.textarea = [a["name"], ""]
            self.current.append(self.textarea)
        elif tag == "select" and a.get("name"):
            self.select = (a["name"], [None, None])  # (first option, selected option)
        elif tag == "option" and self.select is not None:
            value = a.get("value", "")
            if self.select[1][0] is None:
                self.select[1][0] = value
            if "selected" in a:
                self.select[1][1] = value

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self.textarea = None
        elif tag == "select" and self.select is not None and self.current is not None:
            name, (first, chosen) = self.select
            self.current.append([name, chosen if chosen is not None else (first or "")])
            self.select = None
        elif tag == "form":
            self.current = None


def form_fields(page: str, action: str) -> list[list[str]]:
    f = Form()
    f.feed(page)
    return f.forms.get(action, [])


class Browser:
    """One browser: its own cookies and keep-alive connection."""

    def __init__(self, port: int, timeout: float = 60) -> None:
        self.port = port
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: bytes | None = None, content_type: str | None = None) -> tuple[int, dict[str, str], str]:
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method != "GET":
            headers["Origin"] = f"http://127.0.0.1:{self.port}"
            headers["Content-Type"] = content_type or "application/x-www-form-urlencoded"
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                r = self.conn.getresponse()
                data = r.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.conn.close()
                self.conn = None
                if attempt == 1 or method != "GET":
                    raise
        for k, v in r.getheaders():
            if k.lower() == "set-cookie":
                name, _, rest = v.partition("=")
                value = rest.split(";", 1)[0]
                if "Max-Age=0" in v or not value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = value
        return r.status, {k.lower(): v for k, v in r.getheaders()}, data.decode("utf-8", "replace")

    def get(self, path: str) -> tuple[int, dict[str, str], str]:
        return self.request("GET", path)

    def post(self, path: str, fields: list[list[str]]) -> tuple[int, dict[str, str], str]:
        return self.request("POST", path, urllib.parse.urlencode([tuple(f) for f in fields]).encode())

    def post_multipart(self, path: str, fields: list[list[str]], file_field: str, name: str, content: bytes) -> tuple[int, dict[str, str], str]:
        boundary = "beacon-trials-" + os.urandom(8).hex()
        parts = []
        for k, v in fields:
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode())
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{name}"\r\n'
            "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request("POST", path, b"".join(parts), f"multipart/form-data; boundary={boundary}")

    def sign_in(self, username: str, password: str = DEMO_PASSWORD) -> int:
        status, _, page = self.get("/sign-in")
        token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page)
        status, _, _ = self.post(
            "/sign-in",
            [["csrf_token", token.group(1) if token else ""], ["next", "/"], ["username", username], ["password", password]],
        )
        return status

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def api_token(port: int, user: str, scope: str) -> str:
    """An API token made on the account page as `user` would make it (scope `read` or
    `read-write`, on the example council, for a day)."""
    b = Browser(port)
    if b.sign_in(user) not in (200, 303):
        raise RuntimeError(f"could not sign in as {user}")
    _, _, page = b.get("/account")
    fields = [f for f in form_fields(page, "/account/tokens") if f[0] != "scope"]
    chosen = {"name": f"trials {scope}", "council": COUNCIL, "days": "1"}
    fields = [[k, chosen.pop(k, v)] for k, v in fields] + [[k, v] for k, v in chosen.items()]
    fields.append(["scope", scope])
    status, _, made = b.post("/account/tokens", fields)
    m = re.search(r'<code id="new-token">(bcn_[0-9a-f]{64})</code>', made)
    b.close()
    if status != 200 or not m:
        raise RuntimeError(f"no token was made for {user} ({status})")
    return m.group(1)


def entry_form(b: Browser) -> list[list[str]]:
    """The data-entry form of CED's quarter, as the page gives it."""
    status, _, page = b.get(ENTRY)
    if status != 200:
        raise RuntimeError(f"GET {ENTRY} answered {status}")
    fields = form_fields(page, ENTRY)
    if not fields:
        raise RuntimeError(f"no form posting to {ENTRY} on the entry page")
    return fields


def with_comment(fields: list[list[str]], marker: str) -> list[list[str]]:
    """The form with its first indicator's commentary set to a text carrying `marker`."""
    out = [list(f) for f in fields]
    for f in out:
        if re.fullmatch(r"i\d+-comment", f[0]):
            f[1] = f"Trial commentary {marker}."
            return out
    raise RuntimeError("the entry form has no indicator commentary field (i1-comment)")
