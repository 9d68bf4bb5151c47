"""Benchmark: the client card against a trivial page under the shipped production server.

Resets the PostgreSQL database named by --database (default tt_prod), migrates it and seeds the
demo region as `make run` does (200 clients with consents and entries, the catalogue, Klaus's
path and paths in every state), starts gunicorn with config/gunicorn.py (DEBUG off, the
config's default workers), logs coordinator Aino in with password and TOTP over HTTP, and drives
1, 4 and 16 concurrent users, each with its own session, against

  (a) Klaus's client card (Aino is his coordinator: every section is read and logged), and
  (b) /healthz (the trivial page: the process answers, no database),

the cases taking turns, a fixed number of requests each. Prints req/s and p50/p95 latency per
case, then measures one card request in-process: SQL queries and access-log rows per request,
and a cProfile of the card split into log appends, decryption, template rendering and SQL.

    .venv/bin/python bench/card_throughput.py [--requests 240] [--database tt_prod]
"""

from __future__ import annotations

import argparse
import base64
import cProfile
import http.client
import os
import platform
import pstats
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG = "postgres://postgres@127.0.0.1:5432"
USERS = (1, 4, 16)
CATALOGUE = ROOT.parent / "shared" / "data" / "services_fi.json"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


KEYS = ROOT / "var" / "card_throughput.keys"


def bench_keys(fresh: bool) -> tuple[str, str]:
    """Random secrets for the seeded database, kept in var/ so --skip-seed can read it again."""
    if fresh or not KEYS.exists():
        KEYS.parent.mkdir(exist_ok=True)
        secret = secrets.token_urlsafe(50)
        field = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
        KEYS.write_text(f"{secret}\n{field}\n")
        KEYS.chmod(0o600)
    secret, field = KEYS.read_text().split()
    return secret, field


def production_env(database: str, keys: tuple[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=f"{PG}/{database}",
        DATABASE_CONN_MAX_AGE="60",
        STATIC_ROOT=str(ROOT / "var" / "bench-static"),
        DEBUG="false",
        DEMO="false",
        SECRET_KEY=keys[0],
        FIELD_ENCRYPTION_KEY=keys[1],
        ALLOWED_HOSTS="127.0.0.1",
        # Plain HTTP on loopback: TLS belongs to the reverse proxy.
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        LOG_LEVEL="WARNING",
    )
    return env


def manage(env: dict[str, str], *args: str, demo: bool = False) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**env, "DEMO": "true" if demo else "false"},
        check=True,
        timeout=1800,
        stdout=subprocess.DEVNULL,
    )


def reset_and_seed(env: dict[str, str]) -> None:
    import psycopg

    with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "seed_demo", demo=True)
    manage(env, "import_services", str(CATALOGUE))
    manage(env, "seed_demo", "--paths", demo=True)
    # Only the project's own static files (the pages measured use no other).
    manage(
        env,
        "collectstatic",
        "--noinput",
        "-v0",
        *("-i", "drf_spectacular_sidecar", "-i", "admin", "-i", "rest_framework"),
        *("-i", "django_htmx"),
    )


class Http:
    """One user's cookies over fresh connections (gunicorn's sync workers close after each)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, body: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        payload = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        conn.close()
        return response.status, payload


def login(port: int, username: str, password: str, totp_key_hex: str) -> Http:
    """Password and the current TOTP code through the real login form."""
    from django_otp.oath import totp

    user = Http(port)
    status, page = user.request("GET", "/kirjaudu/")
    assert status == 200, status
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token
    code = f"{totp(bytes.fromhex(totp_key_hex)):06d}"
    status, _ = user.request(
        "POST",
        "/kirjaudu/",
        {
            "csrfmiddlewaretoken": token.group(1).decode(),
            "username": username,
            "password": password,
            "otp_token": code,
        },
    )
    assert status == 302, f"login failed: {status}"
    return user


def clone_session(session_key: str) -> str:
    """Another browser of the same verified user: a new session with the same contents (a new
    TOTP login would have to wait for the next 30-second code)."""
    from django.contrib.sessions.backends.db import SessionStore

    data = SessionStore(session_key=session_key).load()
    clone = SessionStore()
    clone.update(data)
    clone.create()
    assert clone.session_key
    return clone.session_key


def drive(port: int, path: str, sessions: list[str], total: int) -> dict[str, float]:
    """`len(sessions)` users at once, `total` requests in all; latencies in ms."""
    users = len(sessions)
    per_user = [total // users + (1 if i < total % users else 0) for i in range(users)]
    latencies: list[float] = []
    failures: list[int] = []
    lock = threading.Lock()
    start_line = threading.Barrier(users + 1)

    def run(session: str, count: int) -> None:
        user = Http(port)
        user.cookies["sessionid"] = session
        start_line.wait()
        mine = []
        for _ in range(count):
            started = time.perf_counter()
            status, _ = user.request("GET", path)
            mine.append((time.perf_counter() - started) * 1000)
            if status != 200:
                failures.append(status)
        with lock:
            latencies.extend(mine)

    threads = [
        threading.Thread(target=run, args=(s, n)) for s, n in zip(sessions, per_user, strict=True)
    ]
    for thread in threads:
        thread.start()
    start_line.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join(timeout=900)
    elapsed = time.perf_counter() - began
    assert not failures, f"{path}: {len(failures)} failed requests, e.g. {failures[:3]}"
    times = sorted(latencies)
    return {
        "rps": len(times) / elapsed,
        "p50": statistics.median(times),
        "p95": times[max(0, int(len(times) * 0.95) - 1)],
    }


def cpu_seconds(pids: set[int]) -> dict[int, float]:
    """User + system CPU of each process so far (from /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    seconds = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        seconds[pid] = (int(fields[11]) + int(fields[12])) / tick
    return seconds


def worker_pids(master_pid: int) -> set[int]:
    pids = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == master_pid:  # ppid
            pids.add(int(stat.parent.name))
    return pids


def machine_busy(since: tuple[float, float] | None = None) -> tuple[float, float]:
    """Without `since`: (busy, total) jiffies of all cores now. With it: (busy cores on average,
    cores) over the interval, everyone's processes included (the machine is shared)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]
    total = float(sum(fields[:8]))
    now = (total - idle, total)
    if since is None:
        return now
    cores = os.cpu_count() or 1
    return (now[0] - since[0]) / max(1.0, now[1] - since[1]) * cores, float(cores)


class DatabaseWatch:
    """PostgreSQL's side of a run: its backends' CPU (the server runs on this machine) and, sampled
    every 20 ms from pg_stat_activity, how many backends of the database run, wait for a lock
    (the access-log head's row lock is the only one the card takes) or sit idle in a transaction."""

    SQL = (
        "SELECT pid, state, wait_event_type FROM pg_stat_activity "
        "WHERE datname = %s AND pid <> pg_backend_pid()"
    )

    def __init__(self, url: str, database: str) -> None:
        import psycopg

        self.conn = psycopg.connect(url, autocommit=True)
        self.database = database
        self.samples: list[list[tuple[int, str, str | None]]] = []
        self._stop = threading.Event()

    def backends(self) -> set[int]:
        return {pid for pid, _, _ in self.conn.execute(self.SQL, [self.database]).fetchall()}

    def _sample(self) -> None:
        while not self._stop.wait(0.02):
            self.samples.append(self.conn.execute(self.SQL, [self.database]).fetchall())

    def __enter__(self) -> DatabaseWatch:
        self.samples = []
        self._stop.clear()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def averages(self) -> dict[str, float]:
        n = max(1, len(self.samples))
        running = sum(
            1 for rows in self.samples for _, st, w in rows if st == "active" and w != "Lock"
        )
        waiting = sum(1 for rows in self.samples for _, st, w in rows if w == "Lock")
        in_tx = sum(1 for rows in self.samples for _, st, _ in rows if st == "idle in transaction")
        return {"running": running / n, "lock_waiting": waiting / n, "idle_in_tx": in_tx / n}


# Where the time of one card request goes: function (file suffix, name) -> label.
BUCKETS = {
    ("audit/services.py", "access_log_append"): "access-log appends (lock, HMAC, insert)",
    ("shared/crypto.py", "decrypt"): "field decryption (AES-GCM)",
    ("django/template/base.py", "render"): "template rendering (incl. lazy queries)",
    ("django/db/backends/utils.py", "_execute"): "SQL round trips (all)",
    ("access/gatekeeper.py", "access_context_load"): "gatekeeper: loading the facts",
    ("sessions/backends/db.py", "save"): "session save (every request)",
}


# Exclusive split of the profiled time by where each function lives (first match wins).
OWN_TIME_GROUPS = [
    ("psycopg", "PostgreSQL driver: sending queries, waiting for answers"),
    ("django/db/", "Django ORM: building queries, making model objects"),
    ("django/template/", "templates: Django's template engine"),
    ("templatetags", "templates: our tags and filters"),
    ("audit/", "access log: chain HMAC and rows (own code)"),
    ("cryptography", "cryptography (AES-GCM)"),
    ("tyollisyystalo/", "our selectors, gatekeeper, views, presentation"),
    ("django/", "Django: middleware, sessions, auth, i18n, urls"),
]


def profile_card(card_path: str, username: str, requests: int) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client as TestClient
    from django.test.utils import CaptureQueriesContext
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tyollisyystalo.audit.models import AccessLogEntry

    user = get_user_model().objects.get(username=username)
    device = TOTPDevice.objects.get(user=user)
    browser = TestClient(HTTP_HOST="127.0.0.1")
    browser.force_login(user)
    session = browser.session
    session["otp_device_id"] = device.persistent_id
    session.save()

    def get() -> None:
        response = browser.get(card_path)
        assert response.status_code == 200, response.status_code

    get()  # warm-up
    before = AccessLogEntry.objects.count()
    with CaptureQueriesContext(connection) as ctx:
        get()
    log_rows = AccessLogEntry.objects.count() - before
    sql = [q["sql"] for q in ctx.captured_queries]
    # Each append locks its chain's head with one upsert (ON CONFLICT … DO UPDATE, ADR 0019).
    head_locks = sum(1 for q in sql if "ON CONFLICT" in q or "FOR UPDATE" in q)

    # Time inside access_log_append (each call holds the chain head's row lock from its
    # SELECT … FOR UPDATE to its commit), measured without the profiler.
    from tyollisyystalo.audit import services as audit_services

    original = audit_services.access_log_append
    in_append: list[float] = []

    def timed_append(*args: Any, **kwargs: Any) -> None:
        started = time.perf_counter()
        try:
            original(*args, **kwargs)
        finally:
            in_append.append((time.perf_counter() - started) * 1000)

    patched = [
        m for m in list(sys.modules.values()) if getattr(m, "access_log_append", None) is original
    ]
    for module in patched:
        module.access_log_append = timed_append  # type: ignore[attr-defined]
    wall = []
    try:
        for _ in range(requests):
            started = time.perf_counter()
            get()
            wall.append((time.perf_counter() - started) * 1000)
    finally:
        for module in patched:
            module.access_log_append = original  # type: ignore[attr-defined]
    profile = cProfile.Profile()
    for _ in range(requests):
        profile.enable()
        get()
        profile.disable()
    profile_stats = pstats.Stats(profile)
    calls = profile_stats.total_calls / requests  # type: ignore[attr-defined]
    stats: dict[Any, Any] = profile_stats.stats  # type: ignore[attr-defined]
    total = sum(tt for (_, _, _), (_, _, tt, _, _) in stats.items())
    shares: dict[str, float] = {}
    for (file, _, name), (_, _, _, ct, _) in stats.items():
        for (suffix, func), label in BUCKETS.items():
            if file.endswith(suffix) and name == func:
                shares[label] = shares.get(label, 0.0) + ct
    # Largest own-time functions: where the interpreter actually spends the request.
    own = sorted(
        (
            (tt, f"{Path(file).parent.name}/{Path(file).name}:{name}")
            for (file, _, name), (_, _, tt, _, _) in stats.items()
        ),
        reverse=True,
    )[:12]
    groups: dict[str, float] = {}
    for (file, _, _), (_, _, tt, _, _) in stats.items():
        label = next((lbl for marker, lbl in OWN_TIME_GROUPS if marker in file), "other")
        groups[label] = groups.get(label, 0.0) + tt
    return {
        "python_calls": calls,
        "append_ms": sum(in_append) / requests,
        "appends": len(in_append) / requests,
        "groups": {label: (tt / total, tt * 1000 / requests) for label, tt in groups.items()},
        "queries": len(sql),
        "log_rows": log_rows,
        "head_locks": head_locks,
        "profiled_ms": total * 1000 / requests,
        "wall_ms": statistics.median(wall),
        "shares": {label: (ct / total, ct * 1000 / requests) for label, ct in shares.items()},
        "own": [(tt * 1000 / requests, name) for tt, name in own],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=240, help="requests per case")
    parser.add_argument("--database", default="tt_prod")
    parser.add_argument("--profiled", type=int, default=20, help="card requests profiled")
    parser.add_argument("--skip-seed", action="store_true")
    args = parser.parse_args()

    env = production_env(args.database, bench_keys(fresh=not args.skip_seed))
    seeding = time.perf_counter()
    if not args.skip_seed:
        reset_and_seed(env)
    seeded_s = time.perf_counter() - seeding
    os.environ.update(env)

    import django

    django.setup()
    from tyollisyystalo.audit.models import AccessLogEntry
    from tyollisyystalo.clients.models import Client, ClientIdentity
    from tyollisyystalo.demo.accounts import ACCOUNTS, DEMO_PASSWORD

    aino = next(a for a in ACCOUNTS if a.username == "aino")
    klaus = ClientIdentity.objects.get(first_names="Klaus", last_name="Kivinen").client_id
    card_path = f"/asiakkaat/{klaus}/"
    counts = {
        "clients": Client.objects.count(),
        "log entries before": AccessLogEntry.objects.count(),
    }

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py"],
        cwd=ROOT,
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    results: dict[tuple[str, int], dict[str, float]] = {}
    cpu: dict[tuple[str, int], tuple[float, float]] = {}
    busy: dict[tuple[str, int], tuple[float, float]] = {}
    db: dict[tuple[str, int], dict[str, float]] = {}
    watch = DatabaseWatch(env["DATABASE_URL"], args.database)
    try:
        deadline = time.monotonic() + 120
        while True:
            assert server.poll() is None, "gunicorn exited"
            try:
                if Http(port).request("GET", "/readyz")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "gunicorn not ready in 120 s"
            time.sleep(0.3)
        from config import gunicorn as gunicorn_config

        user = login(port, aino.username, DEMO_PASSWORD, aino.totp_key_hex)
        sessions = [user.cookies["sessionid"]] + [
            clone_session(user.cookies["sessionid"]) for _ in range(max(USERS) - 1)
        ]
        for path in (card_path, "/healthz"):  # warm every worker
            drive(port, path, sessions[:8], 40)
        load_before = os.getloadavg()
        for users in USERS:
            for name, path in (("card", card_path), ("healthz", "/healthz")):
                workers = worker_pids(server.pid)
                backends = watch.backends()
                before = cpu_seconds(workers), cpu_seconds(backends)
                busy_before = machine_busy()
                with watch:
                    results[(name, users)] = drive(port, path, sessions[:users], args.requests)
                after = cpu_seconds(workers), cpu_seconds(backends | watch.backends())
                busy[(name, users)] = machine_busy(busy_before)
                spent = [
                    sum(a[p] - b.get(p, 0.0) for p in a) * 1000 / args.requests
                    for a, b in zip(after, before, strict=True)
                ]
                cpu[(name, users)] = (spent[0], spent[1])
                db[(name, users)] = watch.averages()
        load_after = os.getloadavg()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)

    profiled = profile_card(card_path, aino.username, args.profiled)

    print(
        f"Card throughput under gunicorn ({args.requests} requests per case, PostgreSQL {args.database})"
    )
    print(
        f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores; "
        f"gunicorn {gunicorn_config.workers} sync workers; load average "
        f"{load_before[0]:.1f} before, {load_after[0]:.1f} after; seeding {seeded_s:.0f} s"
    )
    print(
        f"database: {counts['clients']} clients, {counts['log entries before']} log entries before the run"
    )
    print(
        f"{'users':>5} | {'card req/s':>10} {'p50 ms':>7} {'p95 ms':>7} | "
        f"{'healthz req/s':>13} {'p50 ms':>7} {'p95 ms':>7} | card/healthz"
    )
    for users in USERS:
        c, h = results[("card", users)], results[("healthz", users)]
        print(
            f"{users:>5} | {c['rps']:10.1f} {c['p50']:7.1f} {c['p95']:7.1f} | "
            f"{h['rps']:13.1f} {h['p50']:7.1f} {h['p95']:7.1f} | {c['rps'] / h['rps']:.3f}x"
        )
    print()
    print("per card request, from /proc and pg_stat_activity (sampled every 20 ms):")
    print(
        f"{'users':>5} | {'worker CPU ms':>13} {'postgres CPU ms':>15} | {'machine busy':>12} "
        f"{'our share':>9} | {'backends running':>16} {'waiting on lock':>15} {'idle in tx':>10}"
    )
    for users in USERS:
        worker_ms, pg_ms = cpu[("card", users)]
        used, cores = busy[("card", users)]
        ours = (worker_ms + pg_ms) / 1000 * results[("card", users)]["rps"]
        d = db[("card", users)]
        print(
            f"{users:>5} | {worker_ms:13.1f} {pg_ms:15.1f} | {used:5.2f}/{cores:.0f} cores "
            f"{ours:9.2f} | {d['running']:16.2f} {d['lock_waiting']:15.2f} {d['idle_in_tx']:10.2f}"
        )
    worker_ms, pg_ms = cpu[("card", max(USERS))]
    cores = os.cpu_count() or 1
    print(
        f"CPU bound on a machine of our own: {cores} cores / {worker_ms + pg_ms:.0f} ms = "
        f"{cores * 1000 / (worker_ms + pg_ms):.0f} card req/s; the chain-head lock alone: "
        f"1000 / {profiled['append_ms']:.1f} ms held per card = {1000 / profiled['append_ms']:.0f} card req/s"
    )
    print()
    print(
        f"one card request in-process: {profiled['queries']} SQL queries, "
        f"{profiled['log_rows']} access-log rows in {profiled['head_locks']} appends "
        f"(each locks the chain head), {profiled['python_calls']:,.0f} Python function calls, "
        f"median {profiled['wall_ms']:.1f} ms in one process (no profiler)"
    )
    print(
        f"time in access_log_append: {profiled['append_ms']:.1f} ms per card in "
        f"{profiled['appends']:.0f} calls (those with rows hold the head's row lock from the upsert "
        "to commit)"
    )
    print(
        f"profiled ({args.profiled} requests, {profiled['profiled_ms']:.1f} ms each under cProfile), "
        "exclusive by where the code lives:"
    )
    for label, (share, ms) in sorted(profiled["groups"].items(), key=lambda kv: -kv[1][0]):
        print(f"  {share * 100:5.1f} %  {ms:6.1f} ms  {label}")
    print("inclusive (overlapping) time of chosen functions:")
    for label, (share, ms) in sorted(profiled["shares"].items(), key=lambda kv: -kv[1][0]):
        print(f"  {share * 100:5.1f} %  {ms:6.1f} ms  {label}")
    print("largest own time per request:")
    for ms, name in profiled["own"]:
        print(f"  {ms:6.2f} ms  {name}")


if __name__ == "__main__":
    main()
