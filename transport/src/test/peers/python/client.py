"""Independent peer client (Python websockets) for Tern's interoperability tests.

    /usr/bin/python3 client.py <ws-url> <off|on|params> [tls-dir]

tls-dir for a wss:// URL: the folder with the test CA (ca.pem) the server's certificate must
        chain to (host name checked as usual)

off    compression=None: no permessage-deflate offer
on     websockets' default offer (compression="deflate")
params an offer that asks for server_no_context_takeover, server_max_window_bits=10,
       client_no_context_takeover and client_max_window_bits=10

Sends, one at a time, text (multi-byte UTF-8) of 0, 1, 125, 126, 65536 and 1 MiB bytes,
compressible binary of 64 KiB and 1 MiB, then incompressible binary of the six sizes (the 1 MiB
one, which deflate expands, last), and checks each echo byte for byte; then a ping (expects the
same pong), then a close with 1000 and a reason. Prints one summary line and exits 0 only when
everything matched; prints "FAIL ..." and exits 1 otherwise (2 on its own time limit).

Written for Debian's python3-websockets (10.x, the legacy asyncio API); run it with /usr/bin/python3.
"""

import asyncio
import os
import random
import ssl
import sys
import time

import websockets
from websockets.extensions.permessage_deflate import ClientPerMessageDeflateFactory

SIZES = [0, 1, 125, 126, 65536, 1 << 20]
PATTERN = "Tern \u2713 h\u00e9llo w\u00f6rld \u2014 \u65e5\u672c\u8a9e\u30c6\u30ad\u30b9\u30c8 \U0001d11e\U0001f389 \u0395\u03bb\u03bb\u03b7\u03bd\u03b9\u03ba\u03ac "
PING = "ping from python \u2713".encode("utf-8")
REASON = "bye from python \u2713"
STEP = 15.0
PEER = "python websockets@" + websockets.__version__
TLS_DIR = None


class Failure(Exception):
    pass


def text(n):
    """Exactly n UTF-8 bytes of mixed 1- to 4-byte characters (ASCII padding at the end)."""
    parts = []
    size = 0
    k = 0
    while size < n:
        stop = False
        for ch in "[%d] %s" % (k, PATTERN):
            b = len(ch.encode("utf-8"))
            if size + b > n:
                stop = True
                break
            parts.append(ch)
            size += b
        if stop:
            break
        k += 1
    parts.append("x" * (n - size))
    return "".join(parts)


def noise(n):
    """n pseudo-random bytes: incompressible."""
    return random.Random(n).randbytes(n)


def pattern(n):
    """n bytes of a slowly changing pattern: compressible."""
    return bytes(((i * 7 + (i >> 10)) & 0xFF) for i in range(n))


def messages():
    out = [("text-%d" % n, text(n)) for n in SIZES]
    out += [("pattern-%d" % n, pattern(n)) for n in (65536, 1 << 20)]
    out += [("binary-%d" % n, noise(n)) for n in SIZES]
    return out


def first_difference(a, b):
    for i in range(min(len(a), len(b))):
        if a[i] != b[i]:
            return i
    return min(len(a), len(b))


def header(headers, name):
    return headers.get(name, "") if headers is not None else ""


async def run(url, mode):
    options = dict(max_size=4 << 20, open_timeout=10, close_timeout=10, ping_interval=None)
    if mode == "off":
        options["compression"] = None
    elif mode == "on":
        options["compression"] = "deflate"
    elif mode == "params":
        options["compression"] = None
        options["extensions"] = [
            ClientPerMessageDeflateFactory(
                server_no_context_takeover=True,
                client_no_context_takeover=True,
                server_max_window_bits=10,
                client_max_window_bits=10,
            )
        ]
    else:
        raise Failure("unknown mode " + mode)

    if TLS_DIR:
        options["ssl"] = ssl.create_default_context(cafile=os.path.join(TLS_DIR, "ca.pem"))
    ws = await websockets.connect(url, **options)
    response = getattr(ws, "response_headers", None)
    if response is None and getattr(ws, "response", None) is not None:
        response = ws.response.headers
    extensions = header(response, "Sec-WebSocket-Extensions")
    if mode == "off" and extensions:
        raise Failure('no offer was made but the server answered "%s"' % extensions)
    if mode != "off" and not extensions.startswith("permessage-deflate"):
        raise Failure('offer not accepted: "%s"' % extensions)

    count = 0
    size = 0
    for name, data in messages():
        await ws.send(data)
        try:
            echo = await asyncio.wait_for(ws.recv(), STEP)
        except asyncio.TimeoutError:
            raise Failure("timed out waiting for the echo of " + name)
        if type(echo) is not type(data):
            raise Failure("%s: echo came back as %s" % (name, type(echo).__name__))
        expected = data.encode("utf-8") if isinstance(data, str) else data
        got = echo.encode("utf-8") if isinstance(echo, str) else echo
        if got != expected:
            raise Failure("%s: echo differs (%d bytes back for %d, first difference at %d)"
                          % (name, len(got), len(expected), first_difference(got, expected)))
        count += 1
        size += len(expected)

    pong = await ws.ping(PING)
    try:
        await asyncio.wait_for(pong, STEP)
    except asyncio.TimeoutError:
        raise Failure("no pong with the ping's payload")

    start = time.monotonic()
    await ws.close(1000, REASON)
    close_ms = int((time.monotonic() - start) * 1000)
    if ws.close_code != 1000:
        raise Failure('server closed with %s "%s", expected 1000' % (ws.close_code, ws.close_reason))
    if close_ms > 3000:
        raise Failure("closing handshake took %d ms (server did not close TCP promptly)" % close_ms)
    print('OK %s client mode=%s extensions="%s" messages=%d bytes=%d pong=ok close=%d closeMs=%d'
          % (PEER, mode, extensions, count, size, ws.close_code, close_ms), flush=True)


def main():
    global TLS_DIR
    url, mode = sys.argv[1], sys.argv[2]
    TLS_DIR = sys.argv[3] if len(sys.argv) > 3 else None
    try:
        asyncio.run(asyncio.wait_for(run(url, mode), 60))
    except asyncio.TimeoutError:
        print("FAIL %s client mode=%s: script time limit reached" % (PEER, mode), flush=True)
        sys.exit(2)
    except Failure as e:
        print("FAIL %s client mode=%s: %s" % (PEER, mode, e), flush=True)
        sys.exit(1)
    except Exception as e:  # a protocol error, a closed connection: report it the same way
        print("FAIL %s client mode=%s: %s: %s" % (PEER, mode, type(e).__name__, e), flush=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
