"""serve.py - start `stepbench serve` on a free loopback port for a test.

    with Server() as s:
        ddb = s.client("dynamodb")
        subprocess.run(["aws", *s.cli_args(), "sqs", "list-queues"], env=s.env, ...)

The server is always stopped (and its temporary store removed) on exit.
STEPBENCH names the binary (default build/stepbench).
"""
import os
import re
import subprocess
import sys
import tempfile
import time

import boto3
from botocore.config import Config

BINARY = os.environ.get("STEPBENCH", "build/stepbench")


class Server:
    def __init__(self, *extra_args, region="us-east-1"):
        self.extra = list(extra_args)
        self.region = region
        self.proc = None
        self.url = None

    def __enter__(self):
        # stderr goes to a file, never an unread pipe that could fill and
        # stall the server; it is shown if the server dies under a test
        self.errlog = tempfile.TemporaryFile(mode="w+")
        self.proc = subprocess.Popen(
            [BINARY, "serve", "--port", "0", *self.extra],
            stdout=subprocess.PIPE, stderr=self.errlog, text=True)
        line = self.proc.stdout.readline()
        m = re.search(r"serving (http://\S+)", line)
        if not m:
            self.proc.kill()
            self.proc.wait()
            raise RuntimeError("stepbench serve did not start: %r %s" % (line, self.stderr_text()))
        self.url = m.group(1)
        return self

    def stderr_text(self):
        self.errlog.seek(0)
        return self.errlog.read()

    def __exit__(self, *exc):
        self.stop()

    def stop(self):
        """Stops the server; raises if it had died on its own (a crash)."""
        if not self.proc:
            return
        died = self.proc.poll()
        if died is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        code = died if died is not None else self.proc.returncode
        self.proc.stdout.close()
        self.proc = None
        err = self.stderr_text()
        self.errlog.close()
        if died is not None or code not in (0, -15):
            sys.stderr.write("stepbench serve exited with %s; its stderr:\n%s\n" % (code, err[-8000:]))
            raise AssertionError("stepbench serve died during the test (exit %s)" % code)

    @property
    def env(self):
        e = dict(os.environ)
        e.update(AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test",
                 AWS_DEFAULT_REGION=self.region, AWS_PAGER="")
        e.pop("AWS_PROFILE", None)
        return e

    def cli_args(self):
        return ["--endpoint-url", self.url, "--region", self.region]

    def client(self, service, **config):
        return boto3.client(
            service, endpoint_url=self.url, region_name=self.region,
            aws_access_key_id="test", aws_secret_access_key="test",
            config=Config(retries={"max_attempts": 1}, **config))

    def cli(self, *args, check=True):
        """Runs the AWS CLI against the server; returns (exit code, stdout, stderr)."""
        r = subprocess.run(["aws", *self.cli_args(), *args], env=self.env,
                           capture_output=True, text=True, timeout=60)
        if check and r.returncode != 0:
            raise AssertionError("aws %s failed (%d): %s" % (" ".join(args), r.returncode, r.stderr))
        return r.returncode, r.stdout, r.stderr


def wait_until(pred, timeout=5.0):
    end = time.time() + timeout
    while time.time() < end:
        if pred():
            return True
        time.sleep(0.02)
    return False
