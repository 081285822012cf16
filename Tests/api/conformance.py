"""Runs schemathesis against a running Passage demo, once for each role with API access.

Each role gets its own token (`passage users token`). Path parameters are set to records of the demo (a return
case with a booking, its person, grant, travel document and messages), found through the API itself, so that the
generated requests reach real records and their answers are checked against the document, not only refusals.

Fails on any 5xx, any status the document does not name for the operation, and any answer that does not match
its schema or media type.

    PASSAGE_URL=http://127.0.0.1:8080 PASSAGE_BIN=.build/debug/passage PASSAGE_DATA_DIR=data/demo \
        .venv/bin/python Tests/api/conformance.py
"""

import concurrent.futures
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time
import urllib.request

BASE = os.environ.get("PASSAGE_URL", "http://127.0.0.1:8080")
BIN = os.environ.get("PASSAGE_BIN", ".build/debug/passage")
DATA = os.environ.get("PASSAGE_DATA_DIR", "data/demo")
EXAMPLES = os.environ.get("PASSAGE_API_EXAMPLES", "20")
SEED = os.environ.get("PASSAGE_API_SEED", "20261201")
# Every demo account: one per role (the counsellors share a role).
ACCOUNTS = ["admin", "counsellor", "medical", "movements", "reunification", "resettlement", "visa", "manager",
            "partner"]
CHECKS = "not_a_server_error,status_code_conformance,response_schema_conformance,content_type_conformance"


def token(username):
    out = subprocess.run(
        [BIN, "users", "token", "--username", username, "--name", "API conformance run", "--quiet", "--log",
         "error"],
        env={**os.environ, "PASSAGE_DATA_DIR": DATA}, capture_output=True, text=True, check=True).stdout
    lines = [line.strip() for line in out.splitlines() if line.strip().startswith("psg_")]
    if not lines:
        sys.exit(f"no token for {username}: {out}")
    return lines[-1]


def get(path, bearer):
    req = urllib.request.Request(BASE + "/api/v1" + path, headers={"Authorization": "Bearer " + bearer})
    with urllib.request.urlopen(req, timeout=30) as res:
        return json.load(res)


def demo_records(manager, movements):
    """Records every role's run aims at: a return case that has a booking, and what hangs off it."""
    worklist = get("/return/cases?owner=all", manager)
    params = {"kind": "medical", "type": "departure", "event": "ticketed", "language": "en",
              "figure": "departures"}
    best, best_score = None, -1
    for item in worklist:
        bookings = get(f"/cases/{item['caseID']}/bookings", movements)
        if not bookings:
            continue
        case = get(f"/return/cases/{item['caseID']}", manager)
        score = sum(1 for part in (bookings[0]["messages"], case["grants"], case["travelDocuments"],
                                   case["person"]["documents"]) if part)
        if score > best_score:
            best, best_score = (item["caseID"], case, bookings[0]), score
    case_id, case, booking = best
    params.update(caseID=case_id, personID=case["case"]["personID"], bookingID=booking["id"])
    if booking["messages"]:
        params["messageID"] = booking["messages"][0]["id"]
    if case["grants"]:
        params["grantID"] = case["grants"][0]["id"]
    if case["travelDocuments"]:
        params["requestID"] = case["travelDocuments"][0]["id"]
    if case["person"]["documents"]:
        params["documentID"] = case["person"]["documents"][0]["id"]
    # A visa application on its way and a diaspora assignment under way: their steps are tried on real records.
    for status in ("verified", "received"):
        found = get(f"/visa/applications?status={status}", manager)["items"]
        if found:
            params["applicationID"] = found[0]["id"]
            break
    assignments = get("/diaspora/assignments?status=under_way", manager)
    if assignments:
        params["assignmentID"] = assignments[0]["id"]
    return params


def main():
    tokens = {name: token(name) for name in ACCOUNTS}
    params = demo_records(tokens["manager"], tokens["movements"])
    print("records under test: " + ", ".join(f"{k}={v}" for k, v in sorted(params.items())))
    work = pathlib.Path(tempfile.mkdtemp(prefix="passage-api-"))
    config = work / "schemathesis.toml"
    config.write_text("[parameters]\n" + "".join(f'"path.{k}" = "{v}"\n' for k, v in sorted(params.items())))
    def run(name):
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-m", "schemathesis.cli", "--config-file", str(config), "run",
             BASE + "/api/v1/openapi.json", "-H", "Authorization: Bearer " + tokens[name], "--checks", CHECKS,
             "--max-examples", EXAMPLES, "--phases", "examples,coverage,fuzzing", "--seed", SEED, "--workers", "1",
             "--request-timeout", "30", "--no-color", "--suppress-health-check", "all", "--warnings", "off"],
            capture_output=True, text=True)
        return name, result, time.monotonic() - started

    # Two roles at a time: each run is one Python process, and the machine has two cores.
    failed = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=int(os.environ.get("PASSAGE_API_PARALLEL", "2"))) as pool:
        for name, result, took in pool.map(run, ACCOUNTS):
            summary = [line for line in result.stdout.splitlines() if " generated, " in line]
            print(f"{name:14} {'ok    ' if result.returncode == 0 else 'FAILED'} "
                  f"{summary[-1].strip() if summary else ''} ({took:.0f} s)", flush=True)
            if result.returncode != 0:
                failed.append(name)
                print(result.stdout[-12000:])
                print(result.stderr[-2000:])
    if failed:
        sys.exit("the API did not hold to its document for: " + ", ".join(failed))


if __name__ == "__main__":
    main()
