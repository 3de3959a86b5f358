"""gunicorn settings for the production profile; the environment can override each."""

import gc
import multiprocessing
import os

workers = int(os.environ.get("WEB_CONCURRENCY", min(multiprocessing.cpu_count() * 2, 8)))
threads = int(os.environ.get("GUNICORN_THREADS", 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 20
keepalive = 5
# A guard against slow leaks, not a routine: each recycle leaves one worker serving alone
# until the master forks the next (cached pages at 1,500 a second per worker, recycled
# every few seconds at 5,000: p99 130-155 ms instead of 7-9). Workers hold 70-90 MB flat.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 50_000))
# Workers under the same load reach max_requests together: a wide jitter keeps them from
# all recycling at once (at 1,000 cached pages a second, every few seconds).
max_requests_jitter = max_requests // 2
# The master loads the project once (and warms it, portal/wsgi.py) and forks each worker
# from it: recycling a worker after max_requests then costs a fork, not a second of
# CPU importing Django while requests queue. A deploy restarts gunicorn (a HUP would
# keep the old code). GUNICORN_PRELOAD=0 loads the project in each worker instead.
_preload = os.environ.get("GUNICORN_PRELOAD", "1")
if _preload not in ("0", "1"):
    raise SystemExit(f"GUNICORN_PRELOAD must be 0 or 1, not {_preload!r}.")
preload_app = _preload == "1"
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def pre_fork(server, worker):
    """Move what the master loaded (Django, the project, translations: some 130,000
    objects) out of the garbage collector's sight before each fork: a worker's full
    collections then walk only what the worker made (each took 70-80 ms otherwise, every
    ~1,000 pages), and collecting leaves the pages shared with the master unwritten."""
    gc.freeze()
