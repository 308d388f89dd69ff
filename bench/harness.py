"""Servers and load: gunicorn on 127.0.0.1, wrk in its own process, a logged-in HTTP client,
and the memory of a worker process read from /proc."""

import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LUA = Path(__file__).resolve().parent / "wrk"
GUNICORN = str(Path(sys.executable).parent / "gunicorn")
LOGS = Path(tempfile.gettempdir()) / "linxia-bench"


def require_wrk() -> str:
    path = shutil.which("wrk")
    if path is None:
        sys.exit("wrk is not installed: `apt-get install -y wrk` (Debian), then `make bench` again")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One gunicorn master on a free local port; stopped by its own process id."""

    def __init__(self, app: str, workers: int, env: dict, name: str):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        LOGS.mkdir(exist_ok=True)
        self.log = LOGS / f"{name}.log"
        command = [GUNICORN, "--workers", str(workers), "--bind", f"127.0.0.1:{self.port}",
                   "--timeout", "120", "--error-logfile", str(self.log), app]  # fmt: skip
        self.process = subprocess.Popen(
            command, cwd=ROOT, env={**os.environ, **env}, start_new_session=True
        )
        self._wait_until_up()

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log}")
            try:
                urllib.request.urlopen(self.base + "/", timeout=5).close()
                return
            except urllib.error.HTTPError:
                return  # any HTTP answer means the workers are serving
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer within 60 s; see {self.log}")

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(p) for p in children.read_text().split()]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def memory_kb(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak resident set) of a process, in kB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0])
    return fields


def wrk(url: str, script: str, seconds: int, connections: int, env: dict | None = None) -> dict:
    """Run wrk against `url`; returns requests/s, p50/p95 in ms, status counts and errors."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
               "-s", str(LUA / script), url]  # fmt: skip
    env = {**os.environ, "BENCH_LUA_DIR": str(LUA), **(env or {})}
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=seconds + 60)
    for line in result.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            data = json.loads(line.removeprefix("BENCH_JSON "))
            duration = data["duration_us"] / 1e6
            data["rps"] = data["requests"] / duration if duration else 0.0
            data["p50_ms"], data["p95_ms"] = data["p50_us"] / 1000, data["p95_us"] / 1000
            data["seconds"] = duration
            return data
    raise RuntimeError(f"wrk gave no result: {result.stdout}\n{result.stderr}")


class Client:
    """A cookie-keeping HTTP client, for pages behind the login form."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def request(self, path: str, data: dict | None = None, headers=None, json_body=None):
        """(status, body bytes, seconds); HTTP errors are answers, not exceptions."""
        body = None
        headers = dict(headers or {})
        if json_body is not None:
            body = json.dumps(json_body).encode()
            headers["Content-Type"] = "application/json"
        elif data is not None:
            body = urllib.parse.urlencode(data).encode()
        req = urllib.request.Request(self.base + path, data=body, headers=headers)
        began = time.perf_counter()
        try:
            with self.opener.open(req, timeout=300) as response:
                content = response.read()
                return response.status, content, time.perf_counter() - began
        except urllib.error.HTTPError as error:
            return error.code, error.read(), time.perf_counter() - began

    def login(self, login: str, password: str) -> bool:
        status, page, _ = self.request("/login")
        if status != 200:
            return False
        match = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page)
        form = {"login": login, "password": password}
        if match:
            form["csrf_token"] = match.group(1).decode()
        status, _, _ = self.request("/login", data=form)
        return status in (200, 302, 303) and any(c.name == "session" for c in self.jar)
