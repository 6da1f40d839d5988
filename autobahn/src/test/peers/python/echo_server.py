"""An echo testee built on Python's websockets (Debian's python3-websockets), independent of Tern.

Every text and binary message comes back as it came; permessage-deflate is accepted with every
offer (websockets' server extension negotiates all RFC 7692 parameters); messages up to 16 MiB.

usage: /usr/bin/python3 echo_server.py PORT [SECONDS]
  PORT     port on 127.0.0.1, 0 picks a free one
  SECONDS  the server stops by itself after this long (default 3600)
Prints "listening on ws://127.0.0.1:PORT/" once bound. Also stops when its stdin closes, so a test
that starts it cannot leave it behind.
"""
import asyncio
import sys

import websockets


async def echo(ws, path=None):
    try:
        async for message in ws:
            await ws.send(message)
    except websockets.ConnectionClosed:
        pass


async def stdin_closed():
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.read)


async def main(port, seconds):
    async with websockets.serve(echo, "127.0.0.1", port, max_size=16 * 1024 * 1024,
                                compression="deflate", ping_interval=None) as server:
        bound = server.sockets[0].getsockname()[1]
        print(f"listening on ws://127.0.0.1:{bound}/", flush=True)
        watcher = asyncio.ensure_future(stdin_closed())
        try:
            await asyncio.wait_for(watcher, timeout=seconds)
        except asyncio.TimeoutError:
            pass


if __name__ == "__main__":
    try:
        port = int(sys.argv[1]) if len(sys.argv) > 1 else 9001
        seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 3600
    except ValueError:
        print("usage: echo_server.py PORT [SECONDS]", file=sys.stderr)
        sys.exit(2)
    asyncio.run(main(port, seconds))
    sys.exit(0)
