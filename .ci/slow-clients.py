#!/usr/bin/env python3
"""Hostile-client test for `entente serve` (Python 3, standard library only).

Starts one server with a short head timeout, then at the same time:

  * opens --trickle connections (default 1,000) that send a request head one
    byte per second, never finishing it within the timeout ("slowloris");
  * opens --idle connections (default 1,000) that connect and send nothing;
  * runs one normal keep-alive client that alternates GET /healthz and
    GET /v1/partners/{id} sequentially for --duration seconds, timing each.

and checks that:

  * every hostile connection is established (non-blocking connects, one
    selector thread);
  * the server closes every one of them by head-timeout + --grace seconds
    after it connected (EOF, a reset, or a 408 answer then EOF), none before
    head-timeout - 1 s, and answers nothing but 408 on them; the 408 / plain
    close / reset counts are reported per kind;
  * the normal client gets only 200s, and its p99 latency is below --p99-ms;
  * the server's thread count (/proc/PID/status Threads:) grows by at most
    --max-thread-growth while the hostile connections are open; its VmRSS
    before / during / after is reported;
  * the server still stops cleanly on SIGTERM afterwards.

    python3 .ci/slow-clients.py [--binary .build/debug/entente]
                                    [--p99-ms 100] [--duration 15] [--keep]

Exit status 0 when every check passes, 1 otherwise; the last line is
`slow-clients: N passed, M failed`. All traffic stays on 127.0.0.1; only the
server process this script started is ever signalled. The whole run is bounded
by --budget seconds (default 58): a watchdog kills our server and fails the
run if it is exceeded.
"""

import argparse
import errno
import http.client
import json
import math
import os
import resource
import secrets
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HOST = "127.0.0.1"


def log(*parts):
    print(*parts, flush=True)


def resolve(path):
    """A path as given if it exists from the working directory, else from the repository root."""
    if os.path.isabs(path) or os.path.exists(path):
        return os.path.abspath(path)
    return os.path.join(REPO_ROOT, path)


def percentile(sorted_values, fraction):
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return float("nan")
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def raise_nofile():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY:
        target = max(soft, 65536) if soft != resource.RLIM_INFINITY else soft
    else:
        target = hard
    if soft != target:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        except (ValueError, OSError) as error:
            log("warning: could not raise RLIMIT_NOFILE from %s to %s: %s" % (soft, target, error))
    return resource.getrlimit(resource.RLIMIT_NOFILE)


# --------------------------------------------------------------------------- server process

class Server:
    """The one `entente serve` process this script owns."""

    def __init__(self, binary, db, migrations, head_timeout, token, logdir):
        self.binary, self.db, self.migrations = binary, db, migrations
        self.head_timeout, self.token, self.logdir = head_timeout, token, logdir
        self.proc = None
        self.port = None
        self.lines = 0
        self.logged_statuses = {}
        self.lock = threading.Lock()
        self.out_path = os.path.join(logdir, "server.out")
        self.err_path = os.path.join(logdir, "server.err")
        self.pump_thread = None

    def start(self, timeout=10.0):
        env = dict(os.environ)
        env["ENTENTE_ADMIN_KEY"] = self.token
        for name in ("ENTENTE_HOST", "ENTENTE_PORT", "ENTENTE_DB", "ENTENTE_MIGRATIONS"):
            env.pop(name, None)
        err = open(self.err_path, "wb")
        self.proc = subprocess.Popen(
            [self.binary, "serve", "--host", HOST, "--port", "0", "--db", self.db,
             "--migrations", self.migrations, "--head-timeout", str(self.head_timeout)],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=err, env=env)
        err.close()
        started = threading.Event()
        info = {}
        proc = self.proc

        def pump():  # keeps the stdout pipe drained (one log line per request)
            with open(self.out_path, "wb") as out:
                for line in proc.stdout:
                    out.write(line)
                    try:
                        entry = json.loads(line)
                    except ValueError:
                        continue
                    with self.lock:
                        self.lines += 1
                        if "status" in entry:
                            status = entry["status"]
                            self.logged_statuses[status] = self.logged_statuses.get(status, 0) + 1
                    if not started.is_set() and entry.get("msg") == "started":
                        info["port"] = int(entry["port"])
                        started.set()
        self.pump_thread = threading.Thread(target=pump, name="server-stdout", daemon=True)
        self.pump_thread.start()
        deadline = time.monotonic() + timeout
        while not started.wait(0.05):
            if proc.poll() is not None or time.monotonic() > deadline:
                self.kill()
                raise RuntimeError("server did not start: %s" % self.tail())
        self.port = info["port"]

    def tail(self, count=500):
        chunks = []
        for path in (self.err_path, self.out_path):
            try:
                with open(path, "rb") as f:
                    data = f.read()[-count:].decode("utf-8", "replace").strip()
                if data:
                    chunks.append("%s: %s" % (os.path.basename(path), data))
            except OSError:
                pass
        return "\n".join(chunks)

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def proc_status(self):
        """Threads and VmRSS (kB) from /proc/PID/status, or None if gone."""
        try:
            with open("/proc/%d/status" % self.proc.pid) as f:
                text = f.read()
        except (OSError, AttributeError):
            return None
        values = {}
        for line in text.splitlines():
            key, _, rest = line.partition(":")
            if key in ("Threads", "VmRSS"):
                values[key] = int(rest.split()[0])
        return values

    def kill(self):
        """SIGKILL to our own child, by pid, and reap it."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            try:
                os.kill(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        rc = self.proc.wait()
        self.proc = None
        return rc

    def stop(self, timeout=10.0):
        """SIGTERM and wait for the exit; returns the exit status (SIGKILL after timeout)."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
            rc = "timeout (killed)"
        self.proc = None
        if self.pump_thread is not None:
            self.pump_thread.join(2.0)
        return rc


# --------------------------------------------------------------------------- hostile connections

TRICKLE_HEAD = b"GET / HTTP/1.1\r\nHost: x\r\n" + b"".join(
    b"X-Slow-%d: y\r\n" % i for i in range(400))  # > 3,600 bytes: never ends at 1 byte/s


class Hostile:
    __slots__ = ("sock", "kind", "state", "started", "established", "first_byte", "sent",
                 "closed", "outcome", "data", "status")

    def __init__(self, sock, kind, started):
        self.sock, self.kind, self.started = sock, kind, started
        self.state = "connecting"
        self.established = None
        self.first_byte = None
        self.sent = 0
        self.closed = None
        self.outcome = None   # "eof", "reset", "connect-failed", "still-open"
        self.data = b""
        self.status = None    # status code of any answer received


class Attack:
    """Opens and drives all hostile connections from one selector thread."""

    def __init__(self, port, trickle, idle, head_timeout, grace):
        self.port, self.trickle, self.idle = port, trickle, idle
        self.head_timeout, self.grace = head_timeout, grace
        self.conns = []
        self.lock = threading.Lock()
        self.open_count = 0          # established and not yet closed
        self.all_established = threading.Event()
        self.done = threading.Event()
        self.connect_seconds = None
        self.error = None
        self.thread = threading.Thread(target=self._run, name="attack", daemon=True)

    def start(self):
        self.thread.start()

    def _mark_closed(self, sel, conn, outcome, now):
        if conn.state == "closed":
            return
        if conn.state == "open":
            with self.lock:
                self.open_count -= 1
        conn.state = "closed"
        conn.closed = now
        conn.outcome = outcome
        if conn.data.startswith(b"HTTP/"):
            try:
                conn.status = int(conn.data.split(b" ", 2)[1])
            except (IndexError, ValueError):
                conn.status = -1
        elif conn.data:
            conn.status = -1
        try:
            sel.unregister(conn.sock)
        except (KeyError, ValueError):
            pass
        conn.sock.close()

    def _drain(self, sel, conn, now):
        """Reads what the server sent; returns True once the connection is closed."""
        while True:
            try:
                chunk = conn.sock.recv(4096)
            except BlockingIOError:
                return False
            except (ConnectionResetError, BrokenPipeError):
                self._mark_closed(sel, conn, "reset", now)
                return True
            except OSError as error:
                self._mark_closed(sel, conn, "error:%s" % errno.errorcode.get(error.errno, error.errno), now)
                return True
            if not chunk:
                self._mark_closed(sel, conn, "eof", now)
                return True
            if len(conn.data) < 65536:
                conn.data += chunk

    def _send_byte(self, sel, conn, now):
        try:
            sent = conn.sock.send(TRICKLE_HEAD[conn.sent:conn.sent + 1])
        except BlockingIOError:
            return
        except OSError:
            # The server is gone from this connection: collect any answer it left.
            if not self._drain(sel, conn, now):
                self._mark_closed(sel, conn, "reset", now)
            return
        if sent:
            conn.sent += 1
            if conn.first_byte is None:
                conn.first_byte = now

    def _run(self):
        sel = selectors.DefaultSelector()
        try:
            self._loop(sel)
        except Exception as error:  # reported as a failed check by the caller
            self.error = "%s: %s" % (type(error).__name__, error)
        finally:
            now = time.monotonic()
            for conn in self.conns:
                if conn.state != "closed":
                    self._mark_closed(sel, conn, "still-open" if conn.state == "open" else "connect-failed", now)
            sel.close()
            self.done.set()

    def _loop(self, sel):
        begin = time.monotonic()
        # Interleave the kinds so both see the same accept order and timing.
        kinds = []
        for i in range(max(self.trickle, self.idle)):
            if i < self.trickle:
                kinds.append("trickle")
            if i < self.idle:
                kinds.append("idle")
        connecting = 0
        for kind in kinds:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setblocking(False)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            conn = Hostile(sock, kind, time.monotonic())
            self.conns.append(conn)
            rc = sock.connect_ex((HOST, self.port))
            if rc not in (0, errno.EINPROGRESS):
                conn.state = "closed"
                conn.outcome = "connect-failed:%s" % errno.errorcode.get(rc, rc)
                conn.closed = time.monotonic()
                sock.close()
                continue
            sel.register(sock, selectors.EVENT_WRITE, conn)
            connecting += 1

        connect_deadline = begin + 10.0
        next_tick = None
        trickles = [c for c in self.conns if c.kind == "trickle"]
        while True:
            now = time.monotonic()
            with self.lock:
                open_now = self.open_count
            if connecting == 0 and not self.all_established.is_set():
                self.connect_seconds = now - begin
                self.all_established.set()
            if connecting == 0 and open_now == 0:
                return
            if connecting and now > connect_deadline:
                for conn in self.conns:
                    if conn.state == "connecting":
                        self._mark_closed(sel, conn, "connect-timeout", now)
                connecting = 0
                continue
            # Give up on connections the server kept far past the deadline.
            last_established = max((c.established for c in self.conns if c.established), default=begin)
            if connecting == 0 and now > last_established + self.head_timeout + self.grace + 2.0:
                return
            if next_tick is not None and now >= next_tick:
                for conn in trickles:
                    if conn.state == "open":
                        self._send_byte(sel, conn, now)
                next_tick += 1.0
            timeout = 0.05 if next_tick is None else max(0.0, min(0.05, next_tick - now))
            for key, events in sel.select(timeout):
                conn = key.data
                now = time.monotonic()
                if conn.state == "connecting":
                    if not events & selectors.EVENT_WRITE:
                        continue
                    connecting -= 1
                    err = conn.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                    if err:
                        conn.outcome = "connect-failed:%s" % errno.errorcode.get(err, err)
                        conn.state = "closed"
                        conn.closed = now
                        sel.unregister(conn.sock)
                        conn.sock.close()
                        continue
                    conn.state = "open"
                    conn.established = now
                    with self.lock:
                        self.open_count += 1
                    sel.modify(conn.sock, selectors.EVENT_READ, conn)
                    if conn.kind == "trickle":
                        self._send_byte(sel, conn, now)
                        if next_tick is None:
                            next_tick = now + 1.0
                elif events & selectors.EVENT_READ:
                    self._drain(sel, conn, now)

    def join(self, timeout):
        self.thread.join(timeout)
        return not self.thread.is_alive()


# --------------------------------------------------------------------------- normal client

class NormalClient:
    """One keep-alive connection, sequential requests, each one timed."""

    def __init__(self, port, partner_id, duration, token):
        self.port, self.partner_id, self.duration, self.token = port, partner_id, duration, token
        self.samples = []          # (start monotonic, seconds, path, status)
        self.errors = []
        self.reconnects = 0
        self.thread = threading.Thread(target=self._run, name="normal-client", daemon=True)

    def start(self):
        self.thread.start()

    def _run(self):
        paths = ["/healthz", "/v1/partners/%s" % self.partner_id]
        headers = {"Accept": "application/json", "Authorization": "Bearer " + self.token}
        conn = http.client.HTTPConnection(HOST, self.port, timeout=5)
        end = time.monotonic() + self.duration
        i = 0
        while time.monotonic() < end:
            path = paths[i % 2]
            i += 1
            start = time.monotonic()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                elapsed = time.monotonic() - start
                self.samples.append((start, elapsed, path, response.status))
                if response.status != 200:
                    self.errors.append("%s -> %d" % (path, response.status))
                if response.will_close:
                    conn.close()
                    self.reconnects += 1
                    conn = http.client.HTTPConnection(HOST, self.port, timeout=5)
            except (OSError, http.client.HTTPException) as error:
                elapsed = time.monotonic() - start
                self.samples.append((start, elapsed, path, None))
                self.errors.append("%s -> %s: %s" % (path, type(error).__name__, error))
                conn.close()
                self.reconnects += 1
                conn = http.client.HTTPConnection(HOST, self.port, timeout=5)
                time.sleep(0.05)
        conn.close()

    def join(self, timeout):
        self.thread.join(timeout)
        return not self.thread.is_alive()


# --------------------------------------------------------------------------- main

class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, ok, name, detail=""):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
        log("%s  %s%s" % ("PASS" if ok else "FAIL", name, (": " + detail) if detail else ""))
        return ok


def request_json(port, method, path, token=None, body=None):
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        headers = {"Accept": "application/json"}
        payload = None
        if body is not None:
            payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
            headers["Content-Type"] = "application/json"
        if token:
            headers["Authorization"] = "Bearer " + token
        conn.request(method, path, body=payload, headers=headers)
        response = conn.getresponse()
        data = response.read()
        try:
            parsed = json.loads(data) if data else None
        except ValueError:
            parsed = None
        return response.status, parsed
    finally:
        conn.close()


def summarize_latencies(samples):
    values = sorted(s[1] * 1000.0 for s in samples if s[3] is not None)
    if not values:
        return None
    return {"count": len(values), "p50": percentile(values, 0.50), "p99": percentile(values, 0.99),
            "max": values[-1]}


def fmt_lat(stats):
    if stats is None:
        return "no samples"
    return "count=%d p50=%.2fms p99=%.2fms max=%.2fms" % (stats["count"], stats["p50"], stats["p99"], stats["max"])


def main():
    parser = argparse.ArgumentParser(description="Slow / idle client (slowloris) test for entente serve.")
    parser.add_argument("--binary", default=".build/debug/entente")
    parser.add_argument("--migrations", default="Migrations")
    parser.add_argument("--head-timeout", type=int, default=5, help="passed to the server (seconds)")
    parser.add_argument("--trickle", type=int, default=1000, help="connections sending one byte a second")
    parser.add_argument("--idle", type=int, default=1000, help="connections sending nothing")
    parser.add_argument("--duration", type=float, default=15.0, help="seconds the normal client runs")
    parser.add_argument("--p99-ms", type=float, default=100.0, help="the normal client's p99 latency limit")
    parser.add_argument("--grace", type=float, default=3.0,
                        help="seconds past the head timeout by which every hostile connection must be closed")
    parser.add_argument("--max-thread-growth", type=int, default=2)
    parser.add_argument("--budget", type=float, default=58.0, help="hard limit on the whole run (seconds)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (database, server logs)")
    args = parser.parse_args()

    script_start = time.monotonic()
    # The hostile side shares the GIL with the timed client: hand it back quickly so
    # the client's latencies measure the server, not this interpreter.
    sys.setswitchinterval(0.001)
    binary = resolve(args.binary)
    migrations = resolve(args.migrations)
    checks = Checks()
    if not os.access(binary, os.X_OK):
        checks.check(False, "binary exists", binary)
        log("slow-clients: %d passed, %d failed" % (checks.passed, checks.failed))
        return 1

    soft, hard = raise_nofile()
    needed = args.trickle + args.idle + 100
    tmpdir = tempfile.mkdtemp(prefix="entente-slow-clients-")
    token = "slow-" + secrets.token_urlsafe(24)
    server = Server(binary, os.path.join(tmpdir, "s.sqlite"), migrations, args.head_timeout, token, tmpdir)
    finished = threading.Event()

    def watchdog():
        if finished.wait(args.budget):
            return
        log("FAIL  run exceeded its %.0f s budget; killing the server" % args.budget)
        try:
            server.kill()
        except Exception:
            pass
        if not args.keep:
            shutil.rmtree(tmpdir, ignore_errors=True)
        log("slow-clients: %d passed, %d failed" % (checks.passed, checks.failed + 1))
        os._exit(1)
    threading.Thread(target=watchdog, name="watchdog", daemon=True).start()

    try:
        log("binary %s, RLIMIT_NOFILE soft=%s hard=%s, head-timeout %ds, %d trickle + %d idle connections"
            % (binary, soft, hard, args.head_timeout, args.trickle, args.idle))
        if soft != resource.RLIM_INFINITY and soft < needed:
            checks.check(False, "descriptor limit", "RLIMIT_NOFILE %d < %d needed" % (soft, needed))
            return 1
        run(args, server, checks)
    except Exception as error:
        checks.check(False, "test ran to completion", "%s: %s" % (type(error).__name__, error))
        if server.proc is not None:
            log(server.tail())
    finally:
        if server.proc is not None:
            server.kill()
        finished.set()
        if args.keep:
            log("kept %s" % tmpdir)
        else:
            shutil.rmtree(tmpdir, ignore_errors=True)
        log("elapsed %.1fs" % (time.monotonic() - script_start))
        log("slow-clients: %d passed, %d failed" % (checks.passed, checks.failed))
    return 0 if checks.failed == 0 else 1


def run(args, server, checks):
    server.start()
    port = server.port
    log("server pid %d on port %d" % (server.proc.pid, port))

    status, body = request_json(port, "POST", "/v1/partners", token=server.token,
                                body={"name": "Musée", "kind": "institution"})
    if not checks.check(status == 201 and isinstance(body, dict) and "id" in body,
                        "create partner", "POST /v1/partners -> %s" % status):
        return
    partner_id = body["id"]
    status, body = request_json(port, "GET", "/v1/partners/%s" % partner_id, token=server.token)
    if not checks.check(status == 200 and isinstance(body, dict) and body.get("name") == "Musée",
                        "read partner back", "GET /v1/partners/%s -> %s" % (partner_id, status)):
        return

    # Warm up (lazily started threads, caches) on a keep-alive connection, then take the baseline.
    warm = http.client.HTTPConnection(HOST, port, timeout=5)
    for i in range(100):
        warm.request("GET", "/healthz" if i % 2 else "/v1/partners/%s" % partner_id,
                     headers={"Authorization": "Bearer " + server.token})
        response = warm.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError("warm-up request answered %d" % response.status)
    warm.close()
    time.sleep(0.3)
    before = server.proc_status()
    log("before attack: threads=%d VmRSS=%d kB" % (before["Threads"], before["VmRSS"]))

    client = NormalClient(port, partner_id, args.duration, server.token)
    attack = Attack(port, args.trickle, args.idle, args.head_timeout, args.grace)
    client.start()
    time.sleep(1.0)  # a second of quiet-time latency before the attack
    attack_start = time.monotonic()
    attack.start()

    # Sample the server while the attack runs; "during" = all hostile connections open.
    during, all_samples = [], []
    total = args.trickle + args.idle
    while not attack.done.is_set():
        status_now = server.proc_status()
        with attack.lock:
            open_now = attack.open_count
        if status_now is None:
            break
        all_samples.append((open_now, status_now))
        if open_now >= total * 0.99:
            during.append(status_now)
        attack.done.wait(0.2)
    attack.join(args.head_timeout + args.grace + 15)
    attack_end = time.monotonic()
    client.join(args.duration + 15)
    after = server.proc_status()

    # ---- the hostile connections
    conns = attack.conns
    checks.check(attack.error is None, "attack thread ran", attack.error or "")
    established = [c for c in conns if c.established is not None]
    connect_time = attack.connect_seconds
    checks.check(len(established) == total, "hostile connections established",
                 "%d/%d in %s" % (len(established), total,
                                  "%.2fs" % connect_time if connect_time is not None else "n/a"))
    limit = args.head_timeout + args.grace
    floor = args.head_timeout - 1.0
    by_server = [c for c in established if c.outcome in ("eof", "reset")]
    late = [c for c in by_server if c.closed - c.established > limit]
    early = [c for c in by_server if c.closed - c.established < floor]
    not_closed = [c for c in established if c.outcome not in ("eof", "reset")]
    lifetimes = sorted(c.closed - c.established for c in by_server)
    if by_server:
        log("  hostile connections: last established +%.2fs, first closed +%.2fs, last closed +%.2fs after the attack began"
            % (max(c.established for c in established) - attack_start,
               min(c.closed for c in by_server) - attack_start, max(c.closed for c in by_server) - attack_start))
    for kind in ("trickle", "idle"):
        group = [c for c in established if c.kind == kind]
        got408 = sum(1 for c in group if c.status == 408)
        other = sum(1 for c in group if c.status not in (None, 408))
        plain = sum(1 for c in group if c.status is None and c.outcome == "eof")
        reset = sum(1 for c in group if c.status is None and c.outcome == "reset")
        life = sorted(c.closed - c.established for c in group if c.outcome in ("eof", "reset"))
        log("  %-7s %4d: 408 then close=%d, plain close=%d, reset=%d, other answer=%d, not closed=%d;"
            " open for %s" % (kind, len(group), got408, plain, reset, other,
                              sum(1 for c in group if c.outcome not in ("eof", "reset")),
                              "%.2f-%.2fs" % (life[0], life[-1]) if life else "n/a"))
        if kind == "trickle":
            sent = sorted(c.sent for c in group)
            if sent:
                log("          bytes sent per trickle connection: %d-%d" % (sent[0], sent[-1]))
    checks.check(not not_closed and not late, "server closed every hostile connection within head-timeout + %.0fs" % args.grace,
                 "%d closed by the server (%d late), %d not closed by it%s; lifetimes %s"
                 % (len(by_server), len(late), len(not_closed),
                    (" (" + ", ".join(sorted({str(c.outcome) for c in not_closed})) + ")") if not_closed else "",
                    "%.2f-%.2fs" % (lifetimes[0], lifetimes[-1]) if lifetimes else "n/a"))
    checks.check(not early, "no hostile connection closed before head-timeout - 1s",
                 "%d early%s" % (len(early), (", first after %.2fs" % min(c.closed - c.established for c in early)) if early else ""))
    odd = {}
    for c in established:
        if c.status not in (None, 408):
            odd[c.status] = odd.get(c.status, 0) + 1
    checks.check(not odd, "hostile connections answered only 408 (or nothing)",
                 ", ".join("%s x%d" % (k, v) for k, v in sorted(odd.items(), key=str)) if odd else "")

    # ---- the normal client
    overall = summarize_latencies(client.samples)
    attack_window = [s for s in client.samples if attack_start <= s[0] <= attack_end]
    during_stats = summarize_latencies(attack_window)
    log("normal client overall:       %s" % fmt_lat(overall))
    log("normal client during attack: %s (%.1fs window)" % (fmt_lat(during_stats), attack_end - attack_start))
    slowest = sorted(client.samples, key=lambda s: -s[1])[:3]
    if slowest:
        log("  slowest: " + ", ".join("%.1fms at +%.2fs (%s)" % (s[1] * 1000, s[0] - attack_start, s[2]) for s in slowest))
    checks.check(not client.errors and overall is not None, "normal client got only 200s",
                 "%d requests, %d errors, %d reconnects%s" % (len(client.samples), len(client.errors), client.reconnects,
                                                             ("; first: " + client.errors[0]) if client.errors else ""))
    checks.check(overall is not None and overall["p99"] < args.p99_ms, "normal client p99 < %gms" % args.p99_ms,
                 fmt_lat(overall))

    # ---- the server process
    if during:
        max_threads = max(s["Threads"] for s in during)
        max_rss = max(s["VmRSS"] for s in during)
    elif all_samples:
        max_threads = max(s["Threads"] for _, s in all_samples)
        max_rss = max(s["VmRSS"] for _, s in all_samples)
    else:
        max_threads = max_rss = None
    log("server: threads before=%d during(max)=%s after=%s; VmRSS before=%d kB during(max)=%s kB after=%s kB"
        " (%d samples with all connections open)"
        % (before["Threads"], max_threads, after["Threads"] if after else "gone", before["VmRSS"],
           max_rss, after["VmRSS"] if after else "gone", len(during)))
    if max_rss is not None:
        log("        RSS growth %.1f kB per hostile connection" % ((max_rss - before["VmRSS"]) / max(1, total)))
    checks.check(max_threads is not None and max_threads - before["Threads"] <= args.max_thread_growth,
                 "server threads grew by <= %d during the attack" % args.max_thread_growth,
                 "%s -> %s" % (before["Threads"], max_threads))
    with server.lock:
        logged = dict(server.logged_statuses)
    log("server logged statuses: %s" % ", ".join("%s x%d" % (k, v) for k, v in sorted(logged.items(), key=str)))

    alive = server.alive()
    rc = server.stop()
    checks.check(alive and rc == 0, "server alive after the attack and stops cleanly on SIGTERM",
                 "alive=%s exit=%s" % (alive, rc))


if __name__ == "__main__":
    sys.exit(main())
