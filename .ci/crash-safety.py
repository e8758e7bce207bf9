#!/usr/bin/env python3
"""Crash-safety test for `entente serve` (Python 3, standard library only).

Each round drives concurrent writers against the server (partners, projects,
conventions with parties, submissions, signatures, decisions, votes), kills the
server with SIGKILL at a random moment, restarts it on the same database and
checks that:

  * every acknowledged (2xx) write is present, with its audit entry
    (GET /v1/audit) and its event (GET /v1/events);
  * nothing unacknowledged (error answer, no answer) is half there: it is
    either absent or complete ("phantom", allowed); present but incomplete is
    "torn" (never allowed); an error answer (4xx) whose write is present
    anyway is "contradicted" (never allowed);
  * `PRAGMA integrity_check` (and `foreign_key_check`) passes on a copy of the
    crashed database files, and on the database itself after a clean stop;
  * every event committed before the kill reaches the test's webhook receiver
    after the restart (within --webhook-wait seconds).

The database is the SAME across rounds: each restart recovers a file that has
already been through the earlier crashes. Writes are matched to their audit
entries and events through the client-chosen `X-Request-Id`.

The webhook subscribes to every event (`--webhook-events` narrows it); the
receiver refuses about one first attempt in ten, so retries cross the crashes.

    python3 .ci/crash-safety.py [--binary .build/debug/entente] [--kills 5]
                                    [--clients 6] [--seed N] [--keep]

Exit status 0 when every round passes, 1 otherwise; the last line is
`crash-safety: N passed, M failed`. All traffic stays on 127.0.0.1; only the
server process this script started is ever signalled.
"""

import argparse
import hashlib
import hmac
import http.client
import http.server
import json
import os
import random
import secrets
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HOST = "127.0.0.1"
WEBHOOK_SECRET = "crash-safety-" + secrets.token_hex(16)


def log(*parts):
    print(*parts, flush=True)


def resolve(path):
    """A path as given if it exists from the working directory, else from the repository root."""
    if os.path.isabs(path) or os.path.exists(path):
        return os.path.abspath(path)
    return os.path.join(REPO_ROOT, path)


# --------------------------------------------------------------------------- server process

class Server:
    """The one `entente serve` process this script owns (at most one at a time)."""

    def __init__(self, binary, db, migrations, token, logdir):
        self.binary, self.db, self.migrations, self.token = binary, db, migrations, token
        self.logdir = logdir
        self.proc = None
        self.port = None
        self.starts = 0

    def start(self, timeout=20.0):
        assert self.proc is None
        self.starts += 1
        env = dict(os.environ)
        env.update(ENTENTE_ADMIN_KEY=self.token, ENTENTE_WEBHOOK_FIRST_RETRY="1")
        for name in ("ENTENTE_HOST", "ENTENTE_PORT", "ENTENTE_DB", "ENTENTE_MIGRATIONS", "ENTENTE_SYNCHRONOUS"):
            env.pop(name, None)
        out_path = os.path.join(self.logdir, "server-%d.out" % self.starts)
        err = open(os.path.join(self.logdir, "server-%d.err" % self.starts), "wb")
        self.proc = subprocess.Popen(
            [self.binary, "serve", "--host", HOST, "--port", "0", "--db", self.db,
             "--migrations", self.migrations],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=err, env=env)
        err.close()
        started = threading.Event()
        info = {}
        proc = self.proc

        def pump():  # keeps the stdout pipe drained (one log line per request)
            with open(out_path, "wb") as out:
                for line in proc.stdout:
                    out.write(line)
                    if not started.is_set():
                        try:
                            entry = json.loads(line)
                        except ValueError:
                            continue
                        if entry.get("msg") == "started":
                            info["port"] = int(entry["port"])
                            started.set()
                out.flush()
        threading.Thread(target=pump, daemon=True).start()
        deadline = time.monotonic() + timeout
        while not started.wait(0.05):
            if proc.poll() is not None or time.monotonic() > deadline:
                self.kill()
                raise RuntimeError("server did not start (see %s): %s" % (out_path, self.tail()))
        self.port = info["port"]
        return time.monotonic()

    def tail(self):
        try:
            with open(os.path.join(self.logdir, "server-%d.err" % self.starts), "rb") as f:
                return f.read()[-500:].decode("utf-8", "replace").strip()
        except OSError:
            return ""

    def kill(self):
        """SIGKILL to our own child, by pid, and reap it."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        rc = self.proc.wait()
        self.proc = None
        return rc

    def stop(self, timeout=20.0):
        """SIGTERM and wait for the clean exit; returns the exit status."""
        if self.proc is None:
            return None
        os.kill(self.proc.pid, signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.kill(self.proc.pid, signal.SIGKILL)
            rc = "timeout (killed)"
            self.proc.wait()
        self.proc = None
        return rc


# --------------------------------------------------------------------------- webhook receiver

class Receiver:
    """An HTTP receiver on 127.0.0.1 that records the event ids POSTed to it.

    The first attempt of about one event in ten is answered 503, so retries
    (ENTENTE_WEBHOOK_FIRST_RETRY=1) are part of what a restart must resume.
    """

    def __init__(self, rng_seed):
        self.lock = threading.Lock()
        self.received = set()
        self.posts = 0
        self.duplicates = 0
        self.refused = 0
        self.bad_signatures = 0
        self.attempted = set()
        self.salt = str(rng_seed)
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                status = receiver.record(body, self.headers.get("Entente-Signature", ""))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.httpd = http.server.ThreadingHTTPServer((HOST, 0), Handler)
        self.httpd.daemon_threads = True
        self.url = "http://%s:%d/hook" % (HOST, self.httpd.server_address[1])
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def record(self, body, signature):
        try:
            event_id = json.loads(body)["id"]
        except (ValueError, KeyError, TypeError):
            return 400
        ok = False
        try:
            fields = dict(part.split("=", 1) for part in signature.split(","))
            mac = hmac.new(WEBHOOK_SECRET.encode(), fields["t"].encode() + b"." + body, hashlib.sha256).hexdigest()
            ok = hmac.compare_digest(mac, fields["v1"])
        except (ValueError, KeyError):
            pass
        with self.lock:
            self.posts += 1
            if not ok:
                self.bad_signatures += 1
            first = event_id not in self.attempted
            self.attempted.add(event_id)
            if first and hashlib.sha256((self.salt + event_id).encode()).digest()[0] < 26:
                self.refused += 1
                return 503
            if event_id in self.received:
                self.duplicates += 1
            self.received.add(event_id)
        return 204

    def snapshot(self):
        with self.lock:
            return set(self.received)

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


# --------------------------------------------------------------------------- HTTP clients

class Write:
    """One write request and what became of it, as the client saw it."""
    __slots__ = ("rid", "kind", "method", "path", "body", "meta", "outcome", "status", "resp")

    def __init__(self, rid, kind, method, path, body, meta):
        self.rid, self.kind, self.method, self.path, self.body, self.meta = rid, kind, method, path, body, meta
        self.outcome = None  # ack | error | noanswer | refused
        self.status = None
        self.resp = None

    def describe(self):
        return "%s %s %s (%s%s)" % (self.kind, self.method, self.path, self.outcome,
                                    "" if self.status is None else " %s" % self.status)


class Http:
    """A keep-alive HTTP/1.1 connection to the server."""

    def __init__(self, port, token, timeout=10.0):
        self.port, self.token, self.timeout = port, token, timeout
        self.conn = None

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def send(self, method, path, body=None, rid=None):
        """Returns (status, json | None, headers); raises ConnectionRefusedError before
        anything was sent, other OSError / HTTPException when the answer never came."""
        if self.conn is None or self.conn.sock is None:
            self.close()
            self.conn = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
            self.conn.connect()
        headers = {"Authorization": "Bearer " + self.token, "Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if rid is not None:
            headers["X-Request-Id"] = rid
        try:
            self.conn.request(method, path, body=data, headers=headers)
            resp = self.conn.getresponse()
            raw = resp.read()
        except Exception:
            self.close()
            raise
        if resp.will_close:
            self.close()
        payload = None
        if raw:
            try:
                payload = json.loads(raw)
            except ValueError:
                payload = None
        return resp.status, payload, resp.headers


class Client(threading.Thread):
    """One writer: runs partnership chains until the server stops answering."""

    def __init__(self, index, round_no, run_id, port, token, seed, stop):
        super().__init__(daemon=True)
        self.index, self.round_no, self.run_id = index, round_no, run_id
        self.http = Http(port, token)
        self.rng = random.Random(seed)
        self.stop = stop
        self.writes = []
        self.seq = 0
        self.dead = False
        self.echo_mismatch = 0
        self.closes = 0
        self.crash = None
        self.max_closes = 2

    def write(self, kind, method, path, body=None, **meta):
        self.seq += 1
        rid = "cs-%s-r%d-c%d-%d" % (self.run_id, self.round_no, self.index, self.seq)
        w = Write(rid, kind, method, path, body, meta)
        self.writes.append(w)
        try:
            status, payload, headers = self.http.send(method, path, body, rid)
        except ConnectionRefusedError:
            w.outcome = "refused"
            self.dead = True
            return w
        except (OSError, http.client.HTTPException):
            w.outcome = "noanswer"
            self.dead = True
            return w
        w.status, w.resp = status, payload
        w.outcome = "ack" if 200 <= status < 300 else "error"
        if headers.get("X-Request-Id") != rid:
            self.echo_mismatch += 1
        return w

    def run(self):
        chain = 0
        try:
            while not self.stop.is_set() and not self.dead:
                chain += 1
                self.chain("r%dc%dn%d" % (self.round_no, self.index, chain))
                if not self.dead and self.writes and self.writes[-1].outcome == "error":
                    time.sleep(0.05)  # do not spin on a server that refuses everything
        except Exception as error:  # an answer of an unexpected shape, say
            self.crash = "%s: %s" % (type(error).__name__, error)
        finally:
            self.http.close()

    def go(self):
        return not self.stop.is_set() and not self.dead

    def chain(self, tag):
        rng = self.rng
        label = "CS %s %s" % (self.run_id, tag)
        parties = []
        for letter in "ABC"[: rng.choice((2, 2, 3))]:
            name = "%s %s" % (label, letter)
            kind = rng.choice(("institution", "company", "local_authority", "foundation", "artist", "association"))
            w = self.write("partner", "POST", "/v1/partners",
                           {"name": name, "kind": kind, "country": "FR", "expertise": ["crash", tag]},
                           name=name, partner_kind=kind)
            if w.outcome != "ack":
                return
            parties.append(w.resp["id"])
            if not self.go():
                return
        title = "%s project" % label
        w = self.write("project", "POST", "/v1/projects", {"title": title, "status": "active"}, title=title)
        if w.outcome != "ack" or not self.go():
            return
        project_id = w.resp["id"]
        title = "%s convention" % label
        body = {
            "project_id": project_id, "title": title,
            "governance": {"voting": rng.choice(("equal", "proportional")), "majority": "simple"},
            "parties": [{"partner_id": p, "contributions": [
                {"kind": "financial", "description": "pledge %d" % i, "value_cents": rng.randint(1, 50) * 10000}]}
                for i, p in enumerate(parties)],
        }
        w = self.write("convention", "POST", "/v1/conventions", body, title=title, project_id=project_id,
                       parties=list(parties))
        if w.outcome != "ack" or not self.go():
            return
        cid = w.resp["id"]
        w = self.write("submit", "POST", "/v1/conventions/%s/submit" % cid, None, convention_id=cid)
        if w.outcome != "ack" or not self.go():
            return
        order = list(parties)
        rng.shuffle(order)
        for i, p in enumerate(order):
            signatory = "Signatory %s %d" % (tag, i)
            w = self.write("signature", "POST", "/v1/conventions/%s/signatures" % cid,
                           {"partner_id": p, "signatory": signatory},
                           convention_id=cid, partner_id=p, signatory=signatory, last=(i == len(order) - 1))
            if w.outcome != "ack" or not self.go():
                return
        for d in range(rng.choice((1, 2))):
            title = "%s decision %d" % (label, d)
            w = self.write("decision", "POST", "/v1/conventions/%s/decisions" % cid, {"title": title},
                           title=title, convention_id=cid)
            if w.outcome != "ack" or not self.go():
                return
            did = w.resp["id"]
            voters = list(parties)
            rng.shuffle(voters)
            for p in voters[: rng.randint(1, len(voters))]:
                choice = rng.choice(("yes", "yes", "no", "abstain"))
                w = self.write("vote", "POST", "/v1/decisions/%s/votes" % did, {"partner_id": p, "choice": choice},
                               decision_id=did, partner_id=p, choice=choice)
                if w.outcome != "ack" or not self.go():
                    return
            # A few closes per client and round.
            if self.closes < self.max_closes and rng.random() < 0.3:
                self.closes += 1
                w = self.write("close", "POST", "/v1/decisions/%s/close" % did, None, decision_id=did)
                if w.outcome != "ack" or not self.go():
                    return


# --------------------------------------------------------------------------- verification

class Reader:
    """Verification reads after the restart, retried on transient failures."""

    def __init__(self, port, token):
        self.http = Http(port, token, timeout=30.0)
        self.cache = {}

    def get(self, path, cached=True):
        if cached and path in self.cache:
            return self.cache[path]
        last = None
        for attempt in range(5):
            try:
                status, payload, _ = self.http.send("GET", path)
            except (OSError, http.client.HTTPException) as error:
                last = error
                time.sleep(0.2)
                continue
            if status in (429, 503):
                time.sleep(0.2 * (attempt + 1))
                last = status
                continue
            if cached:
                self.cache[path] = (status, payload)
            return status, payload
        raise RuntimeError("GET %s failed: %s" % (path, last))

    def events_after(self, cursor):
        """Every event after `cursor`, and the cursor to resume from."""
        events = []
        while True:
            q = {"limit": "500"}
            if cursor:
                q["after"] = cursor
            status, page = self.get("/v1/events?" + urllib.parse.urlencode(q), cached=False)
            if status != 200:
                raise RuntimeError("GET /v1/events answered %s: %s" % (status, page))
            events.extend(page["items"])
            if not page["items"] or page["next_cursor"] == cursor:
                return events, page["next_cursor"]
            cursor = page["next_cursor"]

    def audit_until(self, stop_rid):
        """Audit entries, newest first, down to (and including) the one of request `stop_rid`."""
        entries, cursor = [], None
        while True:
            q = {"limit": "500"}
            if cursor:
                q["cursor"] = cursor
            status, page = self.get("/v1/audit?" + urllib.parse.urlencode(q), cached=False)
            if status != 200:
                raise RuntimeError("GET /v1/audit answered %s: %s" % (status, page))
            entries.extend(page["items"])
            if any(e["request_id"] == stop_rid for e in page["items"]) or not page["next_cursor"]:
                return entries
            cursor = page["next_cursor"]

    def close(self):
        self.http.close()


class Verifier:
    def __init__(self, reader, audit, events):
        self.r = reader
        self.audit_by_rid = {}
        for e in audit:
            self.audit_by_rid.setdefault(e["request_id"], []).append(e)
        self.events_by_id = {e["id"]: e for e in events}
        self.ids = {}  # rid -> entity id found for an unacknowledged create

    # -- helpers
    def audits(self, w, action):
        return [e for e in self.audit_by_rid.get(w.rid, []) if e["action"] == action]

    def trace_audit(self, parts, w, action, entity_id, check=None):
        """Adds "audit <action>" and "event <action>" parts for the entry of request w."""
        found = [e for e in self.audits(w, action) if entity_id is None or e["entity_id"] == entity_id]
        if check:
            found = [e for e in found if check(e)]
        parts.append(("audit " + action, len(found) == 1))
        ev = self.events_by_id.get(found[0]["id"]) if found else None
        parts.append(("event " + action, ev is not None and ev["type"] == action
                      and ev["data"]["request_id"] == w.rid))
        return found[0] if found else None

    def entity_id(self, w, action, search):
        """The id a create produced: from its answer, else its audit entry, else a search."""
        if w.outcome == "ack" and isinstance(w.resp, dict):
            return w.resp.get("id")
        found = self.audits(w, action)
        if found:
            return found[0]["entity_id"]
        return search()

    def search(self, path, field, value):
        status, page = self.r.get(path)
        if status != 200:
            return None
        hits = [it["id"] for it in page["items"] if it.get(field) == value]
        return hits[0] if hits else None

    # -- one write: a list of (part, present?, evidence?). An evidence part shows the
    #    write happened; the others (consistency) must hold only when it did.
    def parts(self, w):
        m = w.meta
        parts = []
        if w.kind == "partner":
            q = "/v1/partners?" + urllib.parse.urlencode({"q": m["name"], "limit": "500"})
            pid = self.entity_id(w, "partner.created", lambda: self.search(q, "name", m["name"]))
            status, p = self.r.get("/v1/partners/%s" % pid) if pid else (404, None)
            parts.append(("partner", status == 200 and p["name"] == m["name"] and p["kind"] == m["partner_kind"]))
            self.trace_audit(parts, w, "partner.created", pid)
        elif w.kind == "project":
            q = "/v1/projects?" + urllib.parse.urlencode({"q": m["title"], "limit": "500"})
            pid = self.entity_id(w, "project.created", lambda: self.search(q, "title", m["title"]))
            status, p = self.r.get("/v1/projects/%s" % pid) if pid else (404, None)
            parts.append(("project", status == 200 and p["title"] == m["title"]))
            self.trace_audit(parts, w, "project.created", pid)
        elif w.kind == "convention":
            q = "/v1/conventions?" + urllib.parse.urlencode({"project_id": m["project_id"], "limit": "500"})
            cid = self.entity_id(w, "convention.created", lambda: self.search(q, "title", m["title"]))
            status, c = self.r.get("/v1/conventions/%s" % cid) if cid else (404, None)
            parts.append(("convention", status == 200 and c["title"] == m["title"]
                          and [p["partner_id"] for p in c["parties"]] == m["parties"]))
            listed = False
            if cid:
                lq = "/v1/conventions?" + urllib.parse.urlencode({"partner_id": m["parties"][-1], "limit": "500"})
                ls, page = self.r.get(lq)
                listed = ls == 200 and any(it["id"] == cid for it in page["items"])
            parts.append(("convention listed by party", listed))
            self.trace_audit(parts, w, "convention.created", cid)
        elif w.kind == "submit":
            cid = m["convention_id"]
            status, c = self.r.get("/v1/conventions/%s" % cid)
            parts.append(("status past draft", status == 200 and c["status"] != "draft"))
            self.trace_audit(parts, w, "convention.submitted", cid)
        elif w.kind == "signature":
            cid = m["convention_id"]
            status, c = self.r.get("/v1/conventions/%s" % cid)
            party = None
            if status == 200:
                party = next((p for p in c["parties"] if p["partner_id"] == m["partner_id"]), None)
            parts.append(("party signed", party is not None and party.get("signed_at") is not None
                          and party.get("signatory") == m["signatory"]))
            self.trace_audit(parts, w, "convention.signed", cid,
                             lambda e: isinstance(e["changes"], dict) and e["changes"].get("partner_id") == m["partner_id"])
            if m["last"]:
                parts.append(("in_force", status == 200 and c["status"] == "in_force" and c["revision"] == 1
                              and c.get("signed_at") is not None))
                rs, _ = self.r.get("/v1/conventions/%s/revisions/1" % cid)
                parts.append(("revision 1", rs == 200))
                self.trace_audit(parts, w, "convention.in_force", cid)
        elif w.kind == "decision":
            cid = m["convention_id"]
            q = "/v1/conventions/%s/decisions?limit=500" % cid
            did = self.entity_id(w, "decision.opened", lambda: self.search(q, "title", m["title"]))
            status, d = self.r.get("/v1/decisions/%s" % did) if did else (404, None)
            parts.append(("decision", status == 200 and d["title"] == m["title"] and d["convention_id"] == cid))
            ls, page = self.r.get(q)
            parts.append(("decision listed", did is not None and ls == 200 and any(it["id"] == did for it in page["items"])))
            self.trace_audit(parts, w, "decision.opened", did)
        elif w.kind == "vote":
            did = m["decision_id"]
            status, d = self.r.get("/v1/decisions/%s" % did)
            vote = None
            if status == 200:
                vote = next((v for v in d["votes"] if v["partner_id"] == m["partner_id"]), None)
            parts.append(("vote", vote is not None and vote["choice"] == m["choice"]))
            parts.append(("tally matches votes", status == 200 and d["tally"]["parties_present"] == len(d["votes"]), False))
            self.trace_audit(parts, w, "decision.voted", did,
                             lambda e: isinstance(e["changes"], dict) and e["changes"].get("partner_id") == m["partner_id"])
        elif w.kind == "close":
            did = m["decision_id"]
            status, d = self.r.get("/v1/decisions/%s" % did)
            parts.append(("decision closed", status == 200 and d["status"] == "closed" and d["outcome"] is not None
                          and d.get("closed_at") is not None))
            self.trace_audit(parts, w, "decision.closed", did)
        else:
            raise AssertionError(w.kind)
        expected = 2 if (w.kind == "signature" and m["last"]) else 1
        entries = len(self.audit_by_rid.get(w.rid, []))
        if entries > expected:
            parts.append(("no duplicate audit entries (%d)" % entries, False, False))
        return [p if len(p) == 3 else p + (True,) for p in parts]


def integrity(path):
    """integrity_check and foreign_key_check of a database file; 'ok' or what is wrong."""
    conn = sqlite3.connect(path)
    try:
        rows = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        fk = conn.execute("PRAGMA foreign_key_check").fetchall()
    finally:
        conn.close()
    if rows != ["ok"]:
        return "integrity_check: " + "; ".join(map(str, rows[:5]))
    if fk:
        return "foreign_key_check: %d violations, e.g. %s" % (len(fk), fk[:3])
    return "ok"


def crashed_copy_integrity(db, workdir, round_no):
    """Checks a copy of the crashed files, so the server's own recovery is what the restart exercises."""
    copy_dir = os.path.join(workdir, "crashed-%d" % round_no)
    os.mkdir(copy_dir)
    copy = os.path.join(copy_dir, "db.sqlite")
    shutil.copy2(db, copy)
    if os.path.exists(db + "-wal"):
        shutil.copy2(db + "-wal", copy + "-wal")
    wal = os.path.getsize(copy + "-wal") if os.path.exists(copy + "-wal") else 0
    result = integrity(copy)
    shutil.rmtree(copy_dir, ignore_errors=True)
    return result, wal


# --------------------------------------------------------------------------- the rounds

def admin_write(http, rid, method, path, body):
    status, payload, headers = http.send(method, path, body, rid)
    if not 200 <= status < 300:
        raise RuntimeError("%s %s answered %s: %s" % (method, path, status, payload))
    if headers.get("X-Request-Id") != rid:
        raise RuntimeError("X-Request-Id not echoed (%r for %r): writes cannot be matched to audit entries"
                           % (headers.get("X-Request-Id"), rid))
    return payload


class State:
    def __init__(self):
        self.events_cursor = None
        self.webhook_expected = set()  # every event after the webhook's creation
        self.totals = dict(acknowledged=0, lost=0, phantom=0, torn=0, contradicted=0, unanswered=0, errors=0)


def run_round(n, args, server, receiver, state, rng, run_id, workdir):
    t0 = time.monotonic()
    problems = []
    http = Http(server.port, server.token)
    # A marker write bounds this round's part of the audit trail (newest first).
    marker_rid = "cs-%s-r%d-marker" % (run_id, n)
    marker_title = "CS %s round %d marker" % (run_id, n)
    marker = Write(marker_rid, "project", "POST", "/v1/projects", None, {"title": marker_title})
    marker.resp = admin_write(http, marker_rid, "POST", "/v1/projects", {"title": marker_title})
    marker.outcome, marker.status = "ack", 201
    http.close()

    stop = threading.Event()
    clients = [Client(i, n, run_id, server.port, server.token, rng.randrange(1 << 30), stop)
               for i in range(args.clients)]
    delay = rng.uniform(args.min_delay, args.max_delay)
    for c in clients:
        c.start()
    time.sleep(delay)
    received_at_kill = receiver.snapshot()
    rc = server.kill()
    stop.set()
    for c in clients:
        c.join(15)
        if c.is_alive():
            problems.append("client %d did not stop" % c.index)
        if c.crash:
            problems.append("client %d stopped on %s" % (c.index, c.crash))
    writes = [marker] + [w for c in clients for w in c.writes]
    echo_mismatch = sum(c.echo_mismatch for c in clients)
    if echo_mismatch:
        problems.append("%d answers did not echo X-Request-Id" % echo_mismatch)

    crashed, wal_bytes = crashed_copy_integrity(server.db, workdir, n)
    if crashed != "ok":
        problems.append("crashed database: " + crashed)

    restarted = server.start()
    reader = Reader(server.port, server.token)
    try:
        events, state.events_cursor = reader.events_after(state.events_cursor)
        audit = reader.audit_until(marker_rid)
        verifier = Verifier(reader, audit, events)
        counts = dict(acknowledged=0, lost=0, phantom=0, torn=0, contradicted=0, unanswered=0, errors=0)
        details = []
        for w in writes:
            parts = verifier.parts(w)
            present = [name for name, ok, evidence in parts if ok and evidence]
            missing = [name for name, ok, _ in parts if not ok]
            if w.outcome == "ack":
                counts["acknowledged"] += 1
                if missing:
                    counts["lost"] += 1
                    details.append("LOST %s [%s]: missing %s" % (w.describe(), w.rid, ", ".join(missing)))
                continue
            counts["errors" if w.outcome == "error" else "unanswered"] += 1
            if not present:
                continue
            if missing:
                counts["torn"] += 1
                details.append("TORN %s [%s]: present %s; missing %s"
                               % (w.describe(), w.rid, ", ".join(present), ", ".join(missing)))
            elif w.outcome == "error" and 400 <= (w.status or 0) < 500:
                counts["contradicted"] += 1
                details.append("CONTRADICTED %s [%s]: refused with %s but stored" % (w.describe(), w.rid, w.status))
            else:
                counts["phantom"] += 1
        error_statuses = sorted({w.status for w in writes if w.outcome == "error"})

        # Webhooks: every event committed before the kill must reach the receiver.
        state.webhook_expected |= {e["id"] for e in events
                                   if "*" in args.webhook_events or e["type"] in args.webhook_events}
        pending_at_kill = len(state.webhook_expected - received_at_kill)
        deadline = restarted + args.webhook_wait
        while True:
            missing_hooks = state.webhook_expected - receiver.snapshot()
            if not missing_hooks or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        hooks_after = time.monotonic() - restarted
        if missing_hooks:
            problems.append("%d of %d events not delivered to the webhook %.0f s after the restart (e.g. %s)"
                            % (len(missing_hooks), len(state.webhook_expected), args.webhook_wait,
                               sorted(missing_hooks)[:3]))
    finally:
        reader.close()

    if counts["lost"]:
        problems.append("%d acknowledged writes lost" % counts["lost"])
    if counts["torn"]:
        problems.append("%d torn writes" % counts["torn"])
    if counts["contradicted"]:
        problems.append("%d writes refused with 4xx but stored" % counts["contradicted"])
    for key in counts:
        state.totals[key] += counts[key]

    by_kind = {}
    for w in writes:
        if w.outcome == "ack":
            by_kind[w.kind] = by_kind.get(w.kind, 0) + 1
    log("round %d: SIGKILL %.2f s into the load (exit %s), WAL %d KiB, crashed copy %s"
        % (n, delay, rc, wal_bytes // 1024, crashed))
    log("  writes: %s" % ", ".join("%s %d" % kv for kv in sorted(by_kind.items())))
    log("  acknowledged %d / lost %d / phantom %d / torn %d  (unanswered %d, errors %d%s, contradicted %d)"
        % (counts["acknowledged"], counts["lost"], counts["phantom"], counts["torn"], counts["unanswered"],
           counts["errors"], (" %s" % error_statuses) if error_statuses else "", counts["contradicted"]))
    log("  webhook: %d events this round, %d subscribed ones not yet delivered at the kill, %s %.1f s after the restart"
        % (len(events), pending_at_kill, "all delivered" if not missing_hooks else "STILL MISSING", hooks_after))
    for line in details[:20]:
        log("  " + line)
    if len(details) > 20:
        log("  ... %d more" % (len(details) - 20))
    for p in problems:
        log("  FAIL: " + p)
    log("  round %d %s in %.1f s" % (n, "passed" if not problems else "FAILED", time.monotonic() - t0))
    return not problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--binary", default=".build/debug/entente", help="the entente executable (default %(default)s)")
    ap.add_argument("--migrations", default="Migrations", help="the migrations folder (default %(default)s)")
    ap.add_argument("--kills", type=int, default=5, help="rounds, one SIGKILL each (default %(default)s)")
    ap.add_argument("--clients", type=int, default=6, help="concurrent writers (default %(default)s)")
    ap.add_argument("--min-delay", type=float, default=0.5, help="earliest kill after the load starts, s")
    ap.add_argument("--max-delay", type=float, default=3.0, help="latest kill after the load starts, s")
    ap.add_argument("--webhook-wait", type=float, default=30.0, help="how long queued webhooks may take, s")
    ap.add_argument("--webhook-events", default="*",
                    help="comma-separated event types the webhook subscribes to, or '*' (default %(default)s)")
    ap.add_argument("--seed", type=int, default=None, help="random seed (printed; default: random)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder (database, server logs)")
    args = ap.parse_args()
    args.webhook_events = [e.strip() for e in args.webhook_events.split(",") if e.strip()]

    seed = args.seed if args.seed is not None else random.randrange(1 << 31)
    rng = random.Random(seed)
    binary, migrations = resolve(args.binary), resolve(args.migrations)
    if not os.access(binary, os.X_OK):
        log("crash-safety: no executable at %s (build it first)" % binary)
        log("crash-safety: 0 passed, %d failed" % args.kills)
        return 1
    if not os.path.isdir(migrations):
        log("crash-safety: no migrations folder at %s" % migrations)
        log("crash-safety: 0 passed, %d failed" % args.kills)
        return 1

    started = time.monotonic()
    workdir = tempfile.mkdtemp(prefix="entente-crash-safety-")
    # A private copy of the binary: a rebuild during the run cannot swap it between restarts.
    own_binary = os.path.join(workdir, "entente")
    shutil.copy2(binary, own_binary)
    db = os.path.join(workdir, "db.sqlite")
    run_id = secrets.token_hex(3)
    token = "cs_" + secrets.token_hex(32)
    server = Server(own_binary, db, migrations, token, workdir)
    receiver = Receiver(seed)
    state = State()
    passed = failed = 0
    log("crash-safety: binary %s, seed %d, %d kills, %d clients, one database across all rounds (%s)"
        % (binary, seed, args.kills, args.clients, db))
    try:
        server.start()
        http = Http(server.port, token)
        hook = admin_write(http, "cs-%s-webhook" % run_id, "POST", "/v1/webhooks",
                           {"url": receiver.url, "events": args.webhook_events, "secret": WEBHOOK_SECRET})
        http.close()
        reader = Reader(server.port, token)
        _, state.events_cursor = reader.events_after(None)  # deliveries are expected from here on
        reader.close()
        log("webhook %s -> %s for %s" % (hook["id"], receiver.url, ",".join(hook["events"])))
        for n in range(1, args.kills + 1):
            try:
                ok = run_round(n, args, server, receiver, state, rng, run_id, workdir)
            except Exception as error:  # the server did not come back, a read failed...
                log("round %d FAILED: %s: %s" % (n, type(error).__name__, error))
                ok = False
            passed, failed = passed + ok, failed + (not ok)
            if server.proc is None:  # it could not be restarted: the other rounds cannot run
                log("server not running; %d remaining rounds not run" % (args.kills - n))
                failed += args.kills - n
                break
        rc = server.stop()
        final = integrity(db) if os.path.exists(db) else "no database file"
        log("clean stop: exit %s; integrity of the database: %s" % (rc, final))
        if (rc != 0 or final != "ok") and passed:
            passed, failed = passed - 1, failed + 1  # the last round's database did not hold up
    except Exception as error:
        log("crash-safety: setup failed: %s: %s" % (type(error).__name__, error))
        failed = args.kills - passed
    finally:
        server.kill()
        receiver.close()
        if args.keep:
            log("kept %s" % workdir)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    t = state.totals
    log("total: acknowledged %d / lost %d / phantom %d / torn %d  (unanswered %d, errors %d, contradicted %d); "
        "webhook receiver: %d posts, %d refused on purpose, %d duplicates, %d bad signatures; %.1f s"
        % (t["acknowledged"], t["lost"], t["phantom"], t["torn"], t["unanswered"], t["errors"], t["contradicted"],
           receiver.posts, receiver.refused, receiver.duplicates, receiver.bad_signatures, time.monotonic() - started))
    log("crash-safety: %d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
