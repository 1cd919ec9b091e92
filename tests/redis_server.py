"""A redis-server of a test's own, on a free port, that the test can stop and start."""

import shutil
import subprocess
import time

import pytest
import redis

from bench.servers import free_port


class RedisServer:
    """A redis-server of the test's own, on a free port, that can be stopped and started."""

    def __init__(self, directory):
        self.port = free_port()
        self.directory = directory
        self.process = None

    def start(self):
        executable = shutil.which("redis-server")
        if executable is None:
            pytest.fail("redis-server is not installed: apt-get install -y redis-server")
        self.process = subprocess.Popen(
            [
                executable,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--dir",
                str(self.directory),
                "--dbfilename",
                "dump.rdb",
            ],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.exceptions.ConnectionError:
                time.sleep(0.05)
        pytest.fail("redis-server did not start")

    def stop(self, *, keep_data=False):
        if keep_data:
            # As after a network partition: Redis kept everything it had.
            redis.Redis(port=self.port).save()
        self.process.terminate()
        self.process.wait(timeout=10)
        if not keep_data:
            (self.directory / "dump.rdb").unlink(missing_ok=True)
