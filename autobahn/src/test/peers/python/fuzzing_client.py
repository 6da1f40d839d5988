"""A testee client built on Python's websockets (Debian's python3-websockets), independent of Tern,
that follows the fuzzing server's protocol: /getCaseCount, then /runCase?case=N&agent=A for each
case (echoing every message until the server closes), then /updateReports?agent=A. Offers
permessage-deflate (websockets' default offer: client_max_window_bits), messages up to 16 MiB.

usage: /usr/bin/python3 fuzzing_client.py URL [AGENT] [CASE-TIMEOUT-SECONDS]
Exit status: 0 when every case closed in time, 3 when some did not, 1 on other failures.
"""
import asyncio
import sys
import urllib.parse

import websockets


async def run_one(url, timeout, echo=True):
    """Connects, echoes until the server closes; returns (first text or None, timed out)."""
    first = None
    async with websockets.connect(url, max_size=16 * 1024 * 1024, compression="deflate",
                                  ping_interval=None, open_timeout=timeout,
                                  close_timeout=5) as ws:
        async def loop():
            nonlocal first
            try:
                async for message in ws:
                    if first is None and isinstance(message, str):
                        first = message
                    if echo:
                        await ws.send(message)
            except websockets.ConnectionClosed:
                pass
        try:
            await asyncio.wait_for(loop(), timeout=timeout)
            return first, False
        except asyncio.TimeoutError:
            ws.transport.abort()
            return first, True


async def main(base, agent, timeout):
    count_text, _ = await run_one(base + "/getCaseCount", timeout, echo=False)
    count = int(count_text)
    query = urllib.parse.quote(agent)
    incomplete = 0
    for n in range(1, count + 1):
        try:
            _, timed_out = await run_one(f"{base}/runCase?case={n}&agent={query}", timeout)
        except (OSError, websockets.WebSocketException, asyncio.TimeoutError) as e:
            print(f"case {n}: {e}", file=sys.stderr)
            timed_out = True
        if timed_out:
            incomplete += 1
            print(f"case {n}: no close within {timeout:g} s, aborted", file=sys.stderr)
    _, timed_out = await run_one(f"{base}/updateReports?agent={query}", timeout, echo=False)
    if timed_out:
        raise RuntimeError("the fuzzing server did not close /updateReports")
    print(f"ran {count - incomplete} case(s) of {count}; {incomplete} incomplete")
    return 0 if incomplete == 0 else 3


if __name__ == "__main__":
    base = (sys.argv[1] if len(sys.argv) > 1 else "ws://127.0.0.1:9001").rstrip("/")
    agent = sys.argv[2] if len(sys.argv) > 2 else "websockets"
    timeout = float(sys.argv[3]) if len(sys.argv) > 3 else 120
    try:
        sys.exit(asyncio.run(main(base, agent, timeout)))
    except Exception as e:  # one line, no traceback: the caller reads the exit status
        print(f"fuzzing_client.py: {e}", file=sys.stderr)
        sys.exit(1)
