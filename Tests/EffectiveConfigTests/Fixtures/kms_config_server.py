#!/usr/bin/env python3
"""A stand-in for kms-server's metrics port in tests: GET /config answers with the JSON
document in FILE, re-read at every request (so a test changes "what runs" by rewriting it).

  kms_config_server.py FILE [--as string|plain] [--delay SECONDS] [--redirect URL]
                       [--endless] [--unix SOCKET]

--as string (the default) answers as kms-server does: a JSON string holding the pretty-printed
document (axum's Json(String)); --as plain answers with the document itself. --delay waits
before answering (to test timeouts). --redirect answers 302 with that Location; --endless
answers with a chunked body that never ends (to test the body cap); --unix serves on that unix
socket instead of TCP (and prints 0). Binds 127.0.0.1 on a free port and prints the port on
stdout, then serves until its stdin (a pipe) closes, or, when stdin is not a pipe, until it
is killed (SIGTERM or SIGKILL from the test).
"""
import argparse
import http.server
import os
import socketserver
import stat
import json
import sys
import threading
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--as", dest="shape", choices=["string", "plain"], default="string")
    parser.add_argument("--delay", type=float, default=0)
    parser.add_argument("--redirect")
    parser.add_argument("--endless", action="store_true")
    parser.add_argument("--unix")
    options = parser.parse_args()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path != "/config":
                self.send_error(404)
                return
            if options.delay:
                time.sleep(options.delay)
            if options.redirect:
                self.send_response(302)
                self.send_header("Location", options.redirect)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if options.endless:
                self.send_response(200)
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                chunk = b"x" * 65536
                try:
                    while True:
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                except (BrokenPipeError, ConnectionResetError):
                    return
            with open(options.file, encoding="utf-8") as source:
                document = json.load(source)
            pretty = json.dumps(document, indent=2)
            body = json.dumps(pretty) if options.shape == "string" else pretty
            data = body.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    if options.unix:
        class UnixServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
            daemon_threads = True

        class UnixHandler(Handler):
            # BaseHTTPRequestHandler expects a (host, port) client address.
            def address_string(self):
                return "unix"

        server = UnixServer(options.unix, UnixHandler)
        print(0, flush=True)
    else:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        print(server.server_address[1], flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    # Serve until the test closes our stdin (or kills us): no server outlives its test.
    if stat.S_ISFIFO(os.fstat(0).st_mode):
        sys.stdin.read()
        server.shutdown()
    else:
        threading.Event().wait()


if __name__ == "__main__":
    main()
