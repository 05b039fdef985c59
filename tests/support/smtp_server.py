"""A real SMTP server on loopback for regwatch's delivery tests (aiosmtpd).

Usage: smtp_server.py --port N --maildir DIR [--auth USER:PASS]
                      [--reject CODE] [--stall {greeting,data}]

Each accepted message is written to DIR/<n>.eml exactly as received.
Prints "READY <port>" on stdout once listening, then serves until killed.
--reject CODE answers every DATA with CODE (e.g. 451: try again later).
--stall greeting: accept TCP but never send the greeting.
--stall data: take the message but never answer the final ".".
"""
import argparse
import asyncio
import itertools
import os
import sys
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Saver:
    def __init__(self, maildir, reject, stall_data):
        self.maildir = maildir
        self.reject = reject
        self.stall_data = stall_data
        self.counter = itertools.count(1)

    async def handle_DATA(self, server, session, envelope):
        if self.stall_data:
            await asyncio.sleep(3600)
        if self.reject:
            return f"{self.reject} Requested action not taken (test server)"
        n = next(self.counter)
        path = os.path.join(self.maildir, f"{n:04d}.eml")
        tmp = path + ".tmp"
        with open(tmp, "wb") as f:
            f.write(envelope.original_content)
        os.replace(tmp, path)
        return "250 Message accepted for delivery"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--maildir", required=True)
    p.add_argument("--auth")
    p.add_argument("--reject")
    p.add_argument("--stall", choices=["greeting", "data"])
    a = p.parse_args()
    os.makedirs(a.maildir, exist_ok=True)

    if a.stall == "greeting":
        async def silent(reader, writer):
            await asyncio.sleep(3600)

        async def serve():
            srv = await asyncio.start_server(silent, "127.0.0.1", a.port)
            print("READY", srv.sockets[0].getsockname()[1], flush=True)
            await srv.serve_forever()

        asyncio.run(serve())
        return

    kwargs = {}
    if a.auth:
        user, password = a.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = (
                isinstance(auth_data, LoginPassword)
                and auth_data.login.decode() == user
                and auth_data.password.decode() == password
            )
            return AuthResult(success=ok, handled=False)

        kwargs = dict(authenticator=authenticator, auth_require_tls=False,
                      auth_required=True)
    handler = Saver(a.maildir, a.reject, a.stall == "data")
    c = Controller(handler, hostname="127.0.0.1", port=a.port, **kwargs)
    c.start()
    print("READY", c.port, flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        c.stop()


if __name__ == "__main__":
    sys.exit(main())
