#!/usr/bin/env python3
"""Concurrent sign-ins, readers and writers against a running Passage with demo data (standard library only).

    PASSAGE_DEMO_PASSWORD=... .build/release/passage demo &
    PASSAGE_DEMO_PASSWORD=... python3 Benchmarks/load/concurrency.py http://127.0.0.1:8080

Prints, for each scenario, how the requests were answered (status: count) and how long sign-in answers took.
"""
import concurrent.futures as futures
import http.cookiejar
import json
import os
import re
import statistics
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8080"
PASSWORD = os.environ["PASSAGE_DEMO_PASSWORD"]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.open = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()).open
        self.csrf = ""

    def request(self, method, path, form=None, headers=None, body=None):
        data = body
        if form is not None:
            data = urllib.parse.urlencode({**form, "_csrf": self.csrf}).encode()
        req = urllib.request.Request(BASE + path, data=data, method=method, headers=headers or {})
        if form is not None:
            req.add_header("Content-Type", "application/x-www-form-urlencoded")
        try:
            with self.open(req, timeout=120) as res:
                text = res.read().decode("utf-8", "replace")
                status = res.status
        except urllib.error.HTTPError as e:
            text = e.read().decode("utf-8", "replace")
            status = e.code
        except OSError as e:
            return 599, str(e)
        m = re.search(r'name="_csrf" value="([^"]+)"', text)
        if m:
            self.csrf = m.group(1)
        return status, text

    def sign_in(self, username, password):
        self.request("GET", "/login")
        started = time.perf_counter()
        status, _ = self.request("POST", "/login", form={"username": username, "password": password})
        elapsed = time.perf_counter() - started
        if status == 303:
            self.request("GET", "/cases/mine")
        return status, elapsed


def tally(statuses):
    counts = {}
    for s in statuses:
        counts[s] = counts.get(s, 0) + 1
    return ", ".join(f"{k}: {v}" for k, v in sorted(counts.items()))


def concurrent(n, fn, *args):
    with futures.ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(lambda i: fn(i, *args), range(n)))


def main():
    # 1. Forty sign-ins at once: a quarter right, the rest wrong or for no account.
    def sign_in(i):
        user, pw = ("manager", PASSWORD) if i % 4 == 0 else (("visa", "wrong password!") if i % 4 == 1 else (f"nobody{i}", "x" * 12))
        return Browser().sign_in(user, pw)[0]
    print("40 concurrent sign-ins:", tally(concurrent(40, sign_in)))

    # 2. Thirty wrong passwords at once for one account, then the right one.
    print("30 concurrent wrong passwords:", tally(concurrent(30, lambda i: Browser().sign_in("resettlement", "wrong password!")[0])))
    print("  the right password afterwards:", Browser().sign_in("resettlement", PASSWORD)[0], "(401: the account is locked)")

    # 3. How long a sign-in is answered: wrong password, locked account, unknown user (medians of 10, one at a time).
    for label, user, pw in [("wrong password", "medical", "wrong password!"), ("locked account", "resettlement", PASSWORD),
                            ("unknown user", "nobody-at-all", "wrong password!")]:
        times = [Browser().sign_in(user, pw)[1] for _ in range(4 if label == "wrong password" else 10)]
        print(f"  sign-in answer, {label}: median {statistics.median(times) * 1000:.0f} ms")

    # 4. 64 readers of one return case page (800 requests) while 4 writers change cases through the API.
    manager = Browser()
    manager.sign_in("manager", PASSWORD)
    _, page = manager.request("GET", "/return?owner=all")
    case = re.search(r'href="/return/cases/([0-9A-F-]{36})"', page).group(1)
    admin = Browser()
    admin.sign_in("admin", PASSWORD)
    _, users = admin.request("GET", "/admin/users")
    uid = re.search(r'href="/admin/users/([0-9A-F-]{36})">counsellor<', users).group(1)
    admin.request("GET", f"/admin/users/{uid}")
    _, issued = admin.request("POST", f"/admin/users/{uid}/tokens", form={"name": "load test"})
    token = re.search(r'id="new-token">([^<]+)<', issued).group(1)
    readers = []
    for _ in range(16):
        b = Browser()
        b.sign_in("counsellor", PASSWORD)
        readers.append(b)
    _, cases = manager.request("GET", "/api/v1/cases?pageSize=50", headers={"Authorization": "Bearer " + token})
    targets = [c["id"] for c in json.loads(cases)["items"]][:4]

    def read(i):
        return readers[i % len(readers)].request("GET", f"/return/cases/{case}")[0]

    def write(i):
        out = []
        for n in range(25):
            body = json.dumps({"summary": f"load test write {i}-{n}"}).encode()
            out.append(Browser().request("PATCH", f"/api/v1/cases/{targets[i % len(targets)]}", body=body,
                                         headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})[0])
        return out

    started = time.perf_counter()
    with futures.ThreadPoolExecutor(max_workers=68) as pool:
        writes = [pool.submit(write, i) for i in range(4)]
        reads = list(pool.map(read, range(800)))
        written = [s for w in writes for s in w.result()]
    elapsed = time.perf_counter() - started
    print(f"64 readers x 800 page reads with 4 API writers x 25 writes ({elapsed:.1f} s):")
    print("  reads:", tally(reads))
    print("  writes:", tally(written))


if __name__ == "__main__":
    main()
