"""`manage.py benchmark` reads wrk's figures right and refuses what it cannot measure."""

import io
import shutil

import pytest
from django.core.management import CommandError, call_command
from django.core.management.base import OutputWrapper

from core.management.commands import benchmark
from core.management.commands.benchmark import parse_wrk
from tests.builders import make_article
from tests.widget_server import Answer, SampleServer

# Recorded from wrk 4.1 (Debian) against a local server answering 404 to one path
# in four and taking three seconds for another (longer than --timeout 2s).
WRK_WITH_ERRORS = """\
Running 3s test @ http://127.0.0.1:8779
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     8.18ms   13.25ms  33.97ms   76.67%
    Req/Sec    30.40     39.95    92.00     80.00%
  Latency Distribution
     50%  613.00us
     75%    5.52ms
     90%   32.57ms
     99%   33.97ms
  33 requests in 3.11s, 3.72KB read
  Socket errors: connect 0, read 0, write 0, timeout 3
  Non-2xx or 3xx responses: 11
Requests/sec:     10.60
Transfer/sec:      1.19KB
"""

# Recorded from the same wrk against gunicorn's /healthz: no errors, seconds-free units.
WRK_CLEAN = """\
Running 2s test @ http://127.0.0.1:8772
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    31.50ms   25.96ms 172.26ms   74.78%
    Req/Sec   273.95    264.17     1.15k    82.50%
  Latency Distribution
     50%   18.80ms
     75%   51.30ms
     90%   69.20ms
     99%   99.00ms
  1109 requests in 2.06s, 844.52KB read
Requests/sec:    539.30
Transfer/sec:    410.69KB
"""


def test_wrk_figures_are_read_in_milliseconds_with_errors_and_timeouts():
    assert parse_wrk(WRK_WITH_ERRORS) == {
        "rps": 10.60,
        "p50": 0.613,
        "p99": 33.97,
        "non_2xx": 11,
        "socket_errors": 0,
        "timeouts": 3,
    }


def test_a_clean_wrk_run_has_no_errors():
    assert parse_wrk(WRK_CLEAN) == {
        "rps": 539.30,
        "p50": 18.80,
        "p99": 99.00,
        "non_2xx": 0,
        "socket_errors": 0,
        "timeouts": 0,
    }


def test_latencies_in_seconds_are_converted():
    output = WRK_CLEAN.replace("99%   99.00ms", "99%    2.10s")
    assert parse_wrk(output)["p99"] == pytest.approx(2100)


@pytest.mark.parametrize("option", ["--rounds", "--duration", "--connections", "--workers"])
def test_a_count_below_one_is_refused(option):
    with pytest.raises(CommandError, match=f"{option} must be at least 1"):
        call_command("benchmark", option, "0")


def test_without_redis_the_production_profile_is_refused(settings, monkeypatch):
    monkeypatch.setattr("shutil.which", lambda name: f"/usr/bin/{name}")
    settings.REDIS_URL = ""
    # SQLite (the default) or PostgreSQL without Redis: neither is the production profile.
    with pytest.raises(CommandError, match="benchmark the production profile"):
        call_command("benchmark")


def test_each_case_is_compared_with_the_trivial_view_measured_around_it(monkeypatch, capsys):
    """The machine slows down over the round: /healthz answers 2,000 req/s before the
    first case and 1,000 after it. A case at 750 req/s between them is 0.5× the trivial
    view (their mean), not 0.375× the first measurement."""
    command = benchmark.Command()
    trivial_runs = iter([2000, 1000])

    def run_wrk(paths, port, duration, connections):
        if paths != ["/healthz"]:
            rps = 750
        elif connections == 1:
            rps = 5000
        else:
            rps = next(trivial_runs)
        errors = {"non_2xx": 0, "socket_errors": 0, "timeouts": 0}
        return {"rps": rps, "p50": 1.0, "p99": 2.0, **errors}

    class Server:
        pid = 0

        def send_signal(self, signal):
            pass

        def wait(self, timeout):
            pass

    monkeypatch.setattr(command, "start_gunicorn", lambda port, workers, environment: Server())
    monkeypatch.setattr(command, "warm_up", lambda port, paths: None)
    monkeypatch.setattr(command, "run_wrk", run_wrk)
    monkeypatch.setattr(command, "worker_memory", lambda pid: [])
    monkeypatch.setattr(
        command,
        "cases",
        lambda urls: [("one case", benchmark.UNCACHED, ["/en/"], None)],
    )
    options = {"port": 9999, "workers": 2, "rounds": 1, "duration": 1, "latency_duration": 1}
    options["connections"] = 16
    output = io.StringIO()
    command.stdout, command.stderr = OutputWrapper(output), OutputWrapper(io.StringIO())
    command.pages({}, options)
    table = output.getvalue()

    assert "| one case | 750 | 1.0 | 2.0 | 1.00 | 0.500 | 0 |" in table
    # The trivial row: the median of its full-load runs, its -c1 latency once per round.
    assert "| trivial (/healthz) | 1,500 | 1.0 | 2.0 | 1.00 | 1.000 | 0 |" in table


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")
def test_each_wrk_thread_walks_the_paths_from_its_own_share_of_them(tmp_path):
    paths = [f"/page-{n}" for n in range(10)]
    command = benchmark.Command()
    command.tmp = tmp_path
    (tmp_path / "paths.lua").write_text(benchmark.WRK_SCRIPT)
    with SampleServer() as server:
        for path in paths:
            server.answer(path, Answer(b"ok", delay=0.05))
        port = int(server.url("/").rsplit(":", 1)[1].rstrip("/"))
        command.run_wrk(paths, port, duration=1, connections=2)
    asked = [request["path"] for request in server.requests]
    # One connection per thread: the first thread starts near the first path, the second
    # near the middle one, not both at one place asking for the same pages.
    first, second = sorted(int(path.rsplit("-", 1)[1]) for path in asked[:2])
    assert first <= 1 and 5 <= second <= 6
    assert len(set(asked[:6])) == 6


@pytest.mark.django_db
def test_the_article_profile_starts_from_a_warmed_up_worker(settings, monkeypatch):
    settings.PAGE_CACHE_SECONDS = settings.PAGE_CACHE_SECONDS  # restored after the test
    article = make_article(title="Profiled")
    calls = []
    monkeypatch.setattr(benchmark, "warm_up", lambda: calls.append("warm_up"))
    monkeypatch.setattr(benchmark.Client, "get", recording(benchmark.Client.get, calls))
    command = benchmark.Command(stdout=io.StringIO())

    command.profile([article.get_absolute_url()])

    # As a gunicorn worker is forked from a master that ran the warm-up.
    assert calls[0] == "warm_up"
    assert calls[1:] == [article.get_absolute_url()] * 2
    assert "rendered article, in-process, 1 articles" in command.stdout._out.getvalue()


def recording(get, calls):
    def get_and_record(client, path, *args, **kwargs):
        calls.append(path)
        return get(client, path, *args, **kwargs)

    return get_and_record
