"""gunicorn settings for production: `gunicorn dialogues_portal.wsgi` reads this file.

Every value can be overridden from the environment (WEB_CONCURRENCY, PORT, GUNICORN_TIMEOUT, ...).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
# Sync workers: the work is short database reads; 2 per core plus one keeps the cores busy while
# one worker waits on PostgreSQL.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))  # a request still running after 30 s is killed
graceful_timeout = 30
keepalive = 5  # behind a reverse proxy that reuses connections
max_requests = 2000  # recycle workers now and then: bounds any slow memory growth
max_requests_jitter = 200
preload_app = True
accesslog = None  # dialogues_portal.request_log writes one structured line per request instead
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
