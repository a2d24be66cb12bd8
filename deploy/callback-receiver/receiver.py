#!/usr/bin/env python3
"""A push-callback receiver that checks every delivery with the Standard Webhooks reference
verifier (`pip install standardwebhooks`) and records it, one JSON line per request.

    receiver.py --port 8090 --secret whsec_... [--secret whsec_...] --log deliveries.jsonl
                [--fail-first N] [--redirect URL] [--host 127.0.0.1]

--fail-first N answers 500 to the first N attempts of each webhook-id (then 204);
--redirect URL answers every request 302 to URL (a callback must never follow it).
The tests (Tests/GatewayTests/CallbackTests.swift) run it; `deploy/local.sh up` users can too.
"""
import argparse
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook, WebhookVerificationError


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--secret", action="append", required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--fail-first", type=int, default=0)
    parser.add_argument("--redirect")
    args = parser.parse_args()
    verifiers = [Webhook(secret) for secret in args.secret]
    attempts = {}
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            headers = {name.lower(): value for name, value in self.headers.items()}
            verified = []
            for verifier in verifiers:
                try:
                    verifier.verify(body, headers)
                    verified.append(True)
                except WebhookVerificationError:
                    verified.append(False)
            webhook_id = headers.get("webhook-id", "")
            with lock:
                attempts[webhook_id] = attempts.get(webhook_id, 0) + 1
                attempt = attempts[webhook_id]
            if args.redirect:
                status = 302
            elif attempt <= args.fail_first:
                status = 500
            else:
                status = 204
            try:
                job = json.loads(body)
            except ValueError:
                job = {}
            record = {
                "webhook_id": webhook_id,
                "timestamp": headers.get("webhook-timestamp"),
                "signatures": len(headers.get("webhook-signature", "").split()),
                "verified": verified,
                "attempt": attempt,
                "answered": status,
                "path": self.path,
                "job_id": job.get("job_id"),
                "kind": job.get("kind"),
                "status": job.get("status"),
                "progress": job.get("progress"),
                "error": job.get("error"),
                "result_keys": sorted((job.get("result") or {}).keys()) if isinstance(job.get("result"), dict) else None,
                "callback": job.get("callback"),
            }
            with lock, open(args.log, "a") as log:
                log.write(json.dumps(record) + "\n")
            self.send_response(status)
            if args.redirect:
                self.send_header("Location", args.redirect)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_):
            pass

    server = ThreadingHTTPServer((args.host, args.port), Handler)
    print("listening", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
