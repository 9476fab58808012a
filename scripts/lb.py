#!/usr/bin/env python3
"""A small round-robin load balancer for the loopback topology (TCP level, like haproxy's ``mode tcp``).

Each incoming connection is handed to the next application server in turn
and the bytes are relayed both ways; a server that refuses the connection is
skipped for that connection. HTTP keep-alive keeps one browser (or Locust
user) on one server for the life of its connection, as a TCP balancer does.

    python3 scripts/lb.py --listen 127.0.0.1:8100 --backend 127.0.0.1:8101 --backend 127.0.0.1:8102
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import signal


async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        with contextlib.suppress(Exception):  # closing a dead socket
            writer.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--listen", default="127.0.0.1:8100")
    parser.add_argument("--backend", action="append", required=True, help="host:port, repeatable")
    args = parser.parse_args()
    backends = [(b.rsplit(":", 1)[0], int(b.rsplit(":", 1)[1])) for b in args.backend]
    turn = itertools.cycle(range(len(backends)))

    async def handle(client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        first = next(turn)
        for k in range(len(backends)):
            host, port = backends[(first + k) % len(backends)]
            try:
                server_reader, server_writer = await asyncio.open_connection(host, port)
            except OSError:
                continue
            await asyncio.gather(pipe(client_reader, server_writer), pipe(server_reader, client_writer))
            return
        client_writer.write(
            b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        )
        await client_writer.drain()
        client_writer.close()

    async def serve() -> None:
        host, port = args.listen.rsplit(":", 1)
        server = await asyncio.start_server(handle, host, int(port), backlog=512)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        print(f"lb: {args.listen} -> {', '.join(args.backend)}", flush=True)
        async with server:
            await stop.wait()

    asyncio.run(serve())


if __name__ == "__main__":
    main()
