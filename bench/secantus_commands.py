#!/usr/bin/env python3
"""What each MongoDB command of POST /generate costs on SecantusDB, one client, one after the other.

Starts its own SecantusDB (in memory) from the project's .venv, fills `users` with N users whose
64 recent `ops` are full (as after a while in bench/http.sh's generate scenario), then times the
ledger's read, its compare-and-set as findAndModify and as update, the ledger insert and the
job record's upsert. Run from the package root, after deploy/local.sh test has made .venv:

    .venv/bin/python bench/secantus_commands.py            # N = 40 and 400
    BENCH_USERS=1000 .venv/bin/python bench/secantus_commands.py
"""
import datetime
import os
import socket
import subprocess
import sys
import time

import bson
import pymongo


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def op(i, now):
    return {"id": "generation_charge:job%06d" % i, "seq": i, "delta": -1, "reason": "generation",
            "ref": "job%06d" % i, "at": now, "balance_after": 1000 - i}


def timed(label, f, n):
    start = time.perf_counter()
    for i in range(n):
        f(i)
    elapsed = time.perf_counter() - start
    print("  %-60s %7.2f ms" % (label, elapsed / n * 1000))


def run(db, users, rounds):
    now = datetime.datetime.now(datetime.timezone.utc)
    db.users.drop(); db.ledger.drop(); db.generations.drop()
    db.users.insert_many([{"_id": u, "ozhivashki": 1000, "rev": 64, "ops": [op(i, now) for i in range(64)],
                           "ops_at": now, "active_generations": []} for u in range(users)])
    db.users.create_index([("ops_at", 1), ("_id", 1)], name="ops_at")
    db.users.create_index([("active_generations", 1)], name="active_generations")
    db.ledger.create_index([("chat_id", 1), ("seq", -1)], name="chat_id_seq")
    rev = {u: 64 for u in range(users)}

    def change(i):
        u = i % users
        r = rev[u]
        rev[u] = r + 1
        ops = [op(k, now) for k in range(r - 62, r + 2)]
        return u, r, {"$set": {"ops": ops, "rev": r + 1, "ozhivashki": 999, "ops_at": now,
                               "active_generations": ["j%d" % i]}}

    def cas_find_and_modify(i):
        u, r, update = change(i)
        assert db.users.find_one_and_update({"_id": u, "rev": r}, update, return_document=True)

    def cas_update(i):
        u, r, update = change(i)
        assert db.users.update_one({"_id": u, "rev": r}, update).matched_count == 1

    image = os.urandom(2800)
    print("%d users, %d rounds each:" % (users, rounds))
    timed("users.find (the ledger's read)", lambda i: db.users.find_one({"_id": i % users}), rounds)
    timed("users.findAndModify {_id, rev} (the old compare-and-set)", cas_find_and_modify, rounds)
    timed("users.update {_id, rev} (the compare-and-set now)", cas_update, rounds)
    timed("ledger.insert", lambda i: db.ledger.insert_one(
        {"_id": "generation_charge:x%07d" % i, "chat_id": i % users, "seq": i, "delta": -1,
         "reason": "generation", "at": now, "balance_after": 5}), rounds)
    timed("generations.findAndModify upsert, 2.8 KB drawing", lambda i: db.generations.find_one_and_update(
        {"_id": "job%07d" % i}, {"$setOnInsert": {"chat_id": i % users, "created_at": now,
                                                   "input_image": bson.Binary(image), "input_image_size": 2800}},
        upsert=True, projection={"_id": 1, "input_image_size": 1}), rounds)


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    port = free_port()
    server = subprocess.Popen([os.path.join(root, ".venv/bin/secantusd-py"), "--host", "127.0.0.1", "--port", str(port),
                               "--storage-path", ":memory:", "--log-level", "ERROR"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        client = pymongo.MongoClient("mongodb://127.0.0.1:%d" % port, serverSelectionTimeoutMS=30000)
        client.admin.command("ping")
        db = client["secantus_commands"]
        counts = [int(os.environ["BENCH_USERS"])] if "BENCH_USERS" in os.environ else [40, 400]
        for users in counts:
            run(db, users, int(os.environ.get("BENCH_ROUNDS", "200")))
    finally:
        server.terminate()
        server.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
