"""The cached path: the demo behind Varnish (deploy/varnish.vcl) against nginx
serving a static 30 KB file, on loopback, in one run.

gunicorn (2 workers) serves the demo from a SQLite file; Varnish sits in front
of it with the project's VCL; nginx serves a static file from a temporary
configuration of its own. `wrk` (Debian's package) loads each target in turn,
in interleaved rounds, so a busy moment of the machine falls on every target
alike. Goal (issue 20): each cached page at least half of nginx's rate.

Before measuring, each page must come from the cache (X-Cache: HIT, no
Set-Cookie); after, varnishstat's hit ratio says the load was served from
memory. Results: a table on stdout and, in .bench/latest.json, one entry per
target whose times are 1000 / (requests per second), the milliseconds of
server time per request at 8 connections (so a lower number is better, as for
every other benchmark there).
"""

import getpass
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.benchmarks.harness import summarize
from tests.utils.tools import PROJECT_ROOT, tool_missing

ROUNDS = 5
SECONDS_PER_ROUND = 3
CONNECTIONS = 8
THREADS = 2
STATIC_BYTES = 30 * 1024
GOAL = 0.5  # of nginx's rate
VCL = PROJECT_ROOT / "deploy" / "varnish.vcl"
PYTHON = Path(sys.executable)
GUNICORN = PYTHON.with_name("gunicorn")


def _tool(name: str, *candidates: str) -> str:
    found = shutil.which(name) or next(
        (path for path in candidates if Path(path).exists()), None
    )
    if found is None:
        tool_missing(
            f"{name} is missing: install Debian's packages listed by "
            "`deploy/system-packages --bench --list`."
        )
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            assert process.poll() is None, log.read_text()[-3000:]
            assert time.monotonic() < deadline, f"nothing listens on {port}"
            time.sleep(0.1)


def _get(url: str) -> tuple[dict, str]:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - loopback
        return dict(response.headers), response.read().decode()


class Processes:
    """Started processes, stopped in reverse order, each by its own id."""

    def __init__(self):
        self.running: list[subprocess.Popen] = []

    def start(self, args: list[str], *, log: Path, **kwargs) -> subprocess.Popen:
        handle = log.open("w")
        process = subprocess.Popen(  # noqa: S603 - our tools, our arguments
            args, stdout=handle, stderr=subprocess.STDOUT, **kwargs
        )
        self.running.append(process)
        return process

    def stop(self) -> None:
        for process in reversed(self.running):
            process.terminate()
        for process in reversed(self.running):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture
def processes():
    started = Processes()
    yield started
    started.stop()


def _demo_env(tmp_path: Path, varnish_port: int) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "site_config.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "BASE_URL": f"http://127.0.0.1:{varnish_port}",
        "FRONTEND_CACHE_URL": f"http://127.0.0.1:{varnish_port}",
    }


def _demo_load(env: dict) -> float:
    started = time.perf_counter()
    for command in (["migrate", "--no-input", "-v0"], ["load_demo_content"]):
        subprocess.run(  # noqa: S603 - our own manage.py
            [str(PYTHON), "manage.py", *command],
            cwd=PROJECT_ROOT,
            env=env,
            check=True,
            capture_output=True,
            timeout=900,
        )
    return time.perf_counter() - started


def _nginx_conf(root: Path, port: int) -> str:
    # The temporary paths keep nginx off /var/lib/nginx; `user` matters only
    # when started as root, and then keeps it reading our temporary files.
    temp = "\n".join(
        f"    {name}_temp_path {root / name};"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""
daemon off;
worker_processes auto;
user {getpass.getuser()};
pid {root / "nginx.pid"};
error_log {root / "error.log"} warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
{temp}
    server {{
        listen 127.0.0.1:{port};
        root {root / "www"};
    }}
}}
"""


def _wrk(wrk: str, url: str) -> float:
    result = subprocess.run(  # noqa: S603 - Debian's wrk on loopback
        [
            wrk,
            f"-t{THREADS}",
            f"-c{CONNECTIONS}",
            f"-d{SECONDS_PER_ROUND}s",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=SECONDS_PER_ROUND * 10,
    )
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", result.stdout)
    assert errors is None, result.stdout
    return float(re.search(r"Requests/sec:\s+([\d.]+)", result.stdout).group(1))


def _varnish_counters(varnishstat: str, workdir: Path) -> dict[str, int]:
    out = subprocess.run(  # noqa: S603 - Debian's varnishstat
        [varnishstat, "-n", str(workdir), "-1"],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    ).stdout
    counters = {}
    for line in out.splitlines():
        name, value, *_rest = [*line.split(), "", ""]
        if value.isdigit():
            counters[name] = int(value)
    return counters


def test_bench_cached_pages_against_nginx(tmp_path, processes, bench_results):
    wrk = _tool("wrk")
    varnishd = _tool("varnishd", "/usr/sbin/varnishd")
    varnishstat = _tool("varnishstat", "/usr/bin/varnishstat")
    nginx = _tool("nginx", "/usr/sbin/nginx")
    if not GUNICORN.exists():
        tool_missing("gunicorn is missing from the virtualenv: run `make install`.")

    site_port, varnish_port, nginx_port = _free_port(), _free_port(), _free_port()
    env = _demo_env(tmp_path, varnish_port)
    load_seconds = _demo_load(env)

    gunicorn = processes.start(
        [
            str(GUNICORN),
            "site_config.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{site_port}",
        ],
        log=tmp_path / "gunicorn.log",
        cwd=PROJECT_ROOT,
        env=env,
    )
    vcl = tmp_path / "site.vcl"
    vcl.write_text(
        VCL.read_text().replace('.port = "8000";', f'.port = "{site_port}";')
    )
    varnish_dir = tmp_path / "varnish"
    varnish = processes.start(
        [
            varnishd,
            "-j",  # first: it applies to reading the VCL
            "none",
            "-F",
            "-a",
            f"127.0.0.1:{varnish_port}",
            "-f",
            str(vcl),
            "-n",
            str(varnish_dir),
            "-s",
            "malloc,128m",
            "-T",
            "none",
        ],
        log=tmp_path / "varnish.log",
    )
    nginx_root = tmp_path / "nginx"
    (nginx_root / "www").mkdir(parents=True)
    # Deterministic text, so the file compresses as a page would (nginx sends
    # it as it is: gzip is off).
    line = b"Static file for the nginx baseline of the cache benchmark.\n"
    (nginx_root / "www" / "static.txt").write_bytes(
        (line * (STATIC_BYTES // len(line) + 1))[:STATIC_BYTES]
    )
    (nginx_root / "nginx.conf").write_text(_nginx_conf(nginx_root, nginx_port))
    server = processes.start(
        [
            nginx,
            "-p",
            str(nginx_root),
            "-c",
            str(nginx_root / "nginx.conf"),
            "-e",
            str(nginx_root / "error.log"),
        ],
        log=tmp_path / "nginx.log",
    )
    _wait_for(site_port, gunicorn, tmp_path / "gunicorn.log")
    _wait_for(varnish_port, varnish, tmp_path / "varnish.log")
    _wait_for(nginx_port, server, tmp_path / "nginx.log")

    front = f"http://127.0.0.1:{varnish_port}"
    _headers, library_html = _get(f"{front}/en/publications/")
    publication = re.search(
        r'class="card__link" href="(/en/publications/[^"]+/)"', library_html
    ).group(1)
    targets = {
        "home (Varnish)": f"{front}/en/",
        "library (Varnish)": f"{front}/en/publications/",
        "publication (Varnish)": f"{front}{publication}",
        "nginx static 30 KB": f"http://127.0.0.1:{nginx_port}/static.txt",
    }
    sizes, varies = {}, {}
    for name, url in targets.items():
        if "Varnish" not in name:
            continue
        _get(url)
        headers, body = _get(url)
        assert headers.get("X-Cache") == "HIT", (name, headers)
        assert "Set-Cookie" not in headers, (name, headers)
        sizes[name] = len(body.encode())
        varies[name] = headers.get("Vary", "")
    before = _varnish_counters(varnishstat, varnish_dir)

    rates: dict[str, list[float]] = {name: [] for name in targets}
    names = list(targets)
    for round_number in range(ROUNDS):
        # Each round starts with another target, so none always runs first.
        shift = round_number % len(names)
        for name in names[shift:] + names[:shift]:
            rates[name].append(_wrk(wrk, targets[name]))

    after = _varnish_counters(varnishstat, varnish_dir)
    hits = after["MAIN.cache_hit"] - before["MAIN.cache_hit"]
    misses = after["MAIN.cache_miss"] - before["MAIN.cache_miss"]
    passes = after.get("MAIN.s_pass", 0) - before.get("MAIN.s_pass", 0)
    hit_ratio = hits / max(1, hits + misses + passes)

    nginx_rate = statistics.median(rates["nginx static 30 KB"])
    lines = [
        "",
        f"cached path, {ROUNDS} interleaved rounds of {SECONDS_PER_ROUND} s, "
        f"wrk -t{THREADS} -c{CONNECTIONS}, {os.cpu_count()} CPUs "
        f"(demo loaded in {load_seconds:.0f} s)",
        f"{'target':<24}{'req/s median':>14}{'min':>10}{'max':>10}"
        f"{'vs nginx':>10}{'bytes':>9}  Vary",
    ]
    for name in names:
        median = statistics.median(rates[name])
        lines.append(
            f"{name:<24}{median:>14,.0f}{min(rates[name]):>10,.0f}"
            f"{max(rates[name]):>10,.0f}{median / nginx_rate:>10.2f}"
            f"{sizes.get(name, STATIC_BYTES):>9,}  {varies.get(name, '')}"
        )
    lines.append(
        f"Varnish during the load: {hits:,} hits, {misses:,} misses, "
        f"{passes:,} passes (hit ratio {hit_ratio:.4f})"
    )
    sys.stdout.write("\n".join(lines) + "\n")
    for name in names:
        slug = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
        bench_results.append(
            summarize(
                f"cache_{slug}_ms_per_request",
                [1 / rate for rate in rates[name]],
            )
        )

    assert hit_ratio > 0.999
    for name in names[:3]:
        ratio = statistics.median(rates[name]) / nginx_rate
        assert ratio >= GOAL, f"{name}: {ratio:.2f} of nginx's rate"
