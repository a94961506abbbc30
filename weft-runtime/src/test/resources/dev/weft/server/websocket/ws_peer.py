"""A WebSocket peer written with Python's `websockets` (Debian's python3-websockets), no one here's code.

client URL: echoes through the server at URL: whole messages of several sizes, text and binary,
            a fragmented message, with permessage-deflate offered (websockets' default); prints OK.
server:     an echo server on 127.0.0.1, any free port; prints READY <port>, serves until stdin closes.
"""
import asyncio
import os
import sys

import websockets


async def client(url):
    async with websockets.connect(url, max_size=None) as ws:
        for size in (0, 125, 126, 65535, 65536, 16 << 20):
            data = os.urandom(size)
            await ws.send(data)
            got = await ws.recv()
            assert got == data, f"binary {size}: {len(got)} bytes back"
            text = "ü" * (size // 2)
            await ws.send(text)
            got = await ws.recv()
            assert got == text, f"text {size}"
        await ws.send(["frag", "men", "ted"])
        assert await ws.recv() == "fragmented"
        await ws.close(1000, "done")
    print("OK", flush=True)


async def server():
    async def echo(ws, _path=None):
        async for message in ws:
            await ws.send(message)

    async with websockets.serve(echo, "127.0.0.1", 0, max_size=None) as srv:
        port = srv.sockets[0].getsockname()[1]
        print(f"READY {port}", flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)


if __name__ == "__main__":
    if sys.argv[1] == "client":
        asyncio.run(client(sys.argv[2]))
    else:
        asyncio.run(server())
