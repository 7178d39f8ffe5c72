"""A small HTTP/1.1 load generator for loopback, used when wrk is not installed.

Keep-alive connections, each sending one request at a time for a fixed time; the work is
split over a few processes (like wrk's threads) so the generator is less of a bottleneck.
It is slower than wrk, so figures made with it are lower bounds: compare ratios, not
absolutes. Only loopback addresses are accepted, and every run ends by itself.

    python -m bench.loadgen http://127.0.0.1:8000/ -c 16 -t 2 -d 10 -H 'X-Forwarded-Proto: https'
"""

import argparse
import asyncio
import ipaddress
import json
import multiprocessing
import time
from urllib.parse import urlsplit


def is_loopback(host):
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


async def read_response(reader):
    """The status of one response, its body read and dropped (Content-Length or chunked)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split()[1])
    length, chunked, closing = 0, False, False
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
        elif name == b"connection" and b"close" in value.lower():
            closing = True
    if chunked:
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif length:
        await reader.readexactly(length)
    return status, closing


async def connection(host, port, request, deadline, latencies, outcome, ok=200):
    reader = writer = None
    while time.monotonic() < deadline:
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(host, port)
            started = time.perf_counter()
            writer.write(request)
            status, closing = await asyncio.wait_for(read_response(reader), timeout=10)
            latencies.append(int((time.perf_counter() - started) * 1_000_000))
            if status != ok:
                outcome["non200"] += 1
            if closing:
                writer.close()
                writer = None
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError, IndexError):
            outcome["socket_errors"] += 1
            if writer is not None:
                writer.close()
            writer = None
            await asyncio.sleep(0.01)
    if writer is not None:
        writer.close()


def worker(url, connections, seconds, headers, queue, body=None, ok=200):
    parts = urlsplit(url)
    path = parts.path or "/"
    if parts.query:
        path += f"?{parts.query}"
    method = "GET" if body is None else "POST"
    length = [] if body is None else [f"Content-Length: {len(body.encode())}"]
    lines = [f"{method} {path} HTTP/1.1", f"Host: {parts.netloc}", *headers, *length, "", body or ""]
    request = "\r\n".join(lines).encode()
    latencies, outcome = [], {"non200": 0, "socket_errors": 0}
    deadline = time.monotonic() + seconds

    async def run():
        await asyncio.gather(
            *(
                connection(parts.hostname, parts.port or 80, request, deadline, latencies, outcome, ok)
                for _ in range(connections)
            )
        )

    asyncio.run(run())
    queue.put({"latencies": latencies, **outcome})


def percentile(ordered, fraction):
    if not ordered:
        return 0
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def run(url, connections=16, threads=2, seconds=10.0, headers=(), body=None, ok=200):
    """Load url for seconds; returns wrk-like figures (latencies in microseconds).

    With a body, each request is a POST of it; an answer other than `ok` counts as non-200."""
    host = urlsplit(url).hostname or ""
    if not is_loopback(host):
        raise SystemExit(f"Refusing to load {host}: loopback addresses only.")
    threads = max(1, min(threads, connections))
    queue = multiprocessing.Queue()
    shares = [connections // threads + (1 if i < connections % threads else 0) for i in range(threads)]
    started = time.monotonic()
    processes = [
        multiprocessing.Process(target=worker, args=(url, share, seconds, list(headers), queue, body, ok))
        for share in shares
    ]
    for process in processes:
        process.start()
    parts = [queue.get(timeout=seconds + 60) for _ in processes]
    for process in processes:
        process.join(timeout=10)
    duration = time.monotonic() - started
    latencies = sorted(value for part in parts for value in part["latencies"])
    return {
        "requests": len(latencies),
        "duration_us": int(duration * 1_000_000),
        "non200": sum(part["non200"] for part in parts),
        "socket_errors": sum(part["socket_errors"] for part in parts),
        "p50_us": percentile(latencies, 0.50),
        "p90_us": percentile(latencies, 0.90),
        "p99_us": percentile(latencies, 0.99),
        "max_us": latencies[-1] if latencies else 0,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url")
    parser.add_argument("-c", "--connections", type=int, default=16)
    parser.add_argument("-t", "--threads", type=int, default=2)
    parser.add_argument("-d", "--duration", type=float, default=10.0, help="seconds")
    parser.add_argument("-H", "--header", action="append", default=[])
    options = parser.parse_args()
    print(
        json.dumps(run(options.url, options.connections, options.threads, options.duration, options.header))
    )


if __name__ == "__main__":
    main()
