"""Independent peer echo server (Python websockets) for Tern's interoperability tests.

    /usr/bin/python3 server.py <off|on|params> [tls-dir]

tls-dir serve wss:// with server-chain.pem and server-key.pem from that folder

off    compression=None: permessage-deflate disabled
on     websockets' defaults (compression="deflate")
params answers with server_no_context_takeover, client_no_context_takeover,
       server_max_window_bits=10 and client_max_window_bits=10

Binds 127.0.0.1 on a port of the system's choosing and prints "PORT <n>". Serves exactly one
connection: echoes every message as it came (text as text, binary as binary), pings the client
once (with a payload it expects back in the pong), and when the client has closed prints one
summary line ("SERVED ...") and exits: 0 when the client closed with 1000 and answered the ping,
1 otherwise, 2 on its own time limit.

Written for Debian's python3-websockets (10.x, the legacy asyncio API); run it with /usr/bin/python3.
"""

import asyncio
import os
import ssl
import sys

import websockets
from websockets.extensions.permessage_deflate import ServerPerMessageDeflateFactory

PING = "ping from the python server \u2713".encode("utf-8")
PEER = "python websockets@" + websockets.__version__


async def run(mode):
    options = dict(max_size=4 << 20, ping_interval=None, close_timeout=10)
    if mode == "off":
        options["compression"] = None
    elif mode == "on":
        options["compression"] = "deflate"
    elif mode == "params":
        options["compression"] = None
        options["extensions"] = [
            ServerPerMessageDeflateFactory(
                server_no_context_takeover=True,
                client_no_context_takeover=True,
                server_max_window_bits=10,
                client_max_window_bits=10,
            )
        ]
    else:
        print("FAIL %s server: unknown mode %s" % (PEER, mode), flush=True)
        return 1

    done = asyncio.get_running_loop().create_future()
    state = {"served": False}

    async def handler(ws):
        if state["served"]:
            await ws.close(1013, "one connection only")
            return
        state["served"] = True
        offer = ws.request_headers.get("Sec-WebSocket-Extensions", "")
        accepted = ws.response_headers.get("Sec-WebSocket-Extensions", "")
        pong = await ws.ping(PING)
        count = 0
        size = 0
        error = ""
        try:
            async for message in ws:
                count += 1
                size += len(message.encode("utf-8") if isinstance(message, str) else message)
                await ws.send(message)
        except websockets.ConnectionClosed as e:
            error = " error=%s" % type(e).__name__
        await ws.wait_closed()
        pong_ok = pong.done() and not pong.cancelled() and pong.exception() is None
        ok = ws.close_code == 1000 and pong_ok and not error
        line = '%s %s server mode=%s offer="%s" accepted="%s" messages=%d bytes=%d pong=%s close=%s reason="%s"%s' % (
            "SERVED" if ok else "FAIL", PEER, mode, offer, accepted, count, size,
            "ok" if pong_ok else "none", ws.close_code, ws.close_reason, error)
        if not done.done():
            done.set_result((ok, line))

    if len(sys.argv) > 2:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(os.path.join(sys.argv[2], "server-chain.pem"), os.path.join(sys.argv[2], "server-key.pem"))
        options["ssl"] = context
    async with websockets.serve(handler, "127.0.0.1", 0, **options) as server:
        port = server.sockets[0].getsockname()[1]
        print("PORT %d" % port, flush=True)
        ok, line = await done
    print(line, flush=True)
    return 0 if ok else 1


def main():
    mode = sys.argv[1]
    try:
        code = asyncio.run(asyncio.wait_for(run(mode), 60))
    except asyncio.TimeoutError:
        print("FAIL %s server mode=%s: script time limit reached" % (PEER, mode), flush=True)
        code = 2
    sys.exit(code)


if __name__ == "__main__":
    main()
