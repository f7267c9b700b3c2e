"""gunicorn's configuration for production: `gunicorn -c python:grassroots.gunicorn_conf` (`make serve-prod`).

Every value can be changed from the environment (docs/operations.md, "Production deployment"). The access
log names the path of each request, never its query string (a search by name or ID number travels there),
its referrer (another page's query string) or its cookies.
"""

import multiprocessing
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "grassroots.settings.production")

wsgi_app = "grassroots.wsgi:application"
bind = os.environ.get("GRASSROOTS_BIND", "127.0.0.1:8000").split(",")
workers = int(os.environ.get("GRASSROOTS_WORKERS", str(min(2 * multiprocessing.cpu_count() + 1, 9))))
threads = int(os.environ.get("GRASSROOTS_THREADS", "1"))
# Long enough for the largest export (a county's roster, about 20,000 rows, takes 1–2 s).
timeout = int(os.environ.get("GRASSROOTS_WORKER_TIMEOUT", "120"))
graceful_timeout = 30
# Restart workers now and then: a slow leak cannot grow without bound.
max_requests = int(os.environ.get("GRASSROOTS_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# The reverse proxy's address, whose X-Forwarded-For / -Proto headers gunicorn trusts.
forwarded_allow_ips = os.environ.get("GRASSROOTS_FORWARDED_ALLOW_IPS", "127.0.0.1")
limit_request_line = 8190
limit_request_fields = 100

accesslog = os.environ.get("GRASSROOTS_ACCESS_LOG", "-")
errorlog = os.environ.get("GRASSROOTS_ERROR_LOG", "-")
loglevel = os.environ.get("GRASSROOTS_GUNICORN_LOG_LEVEL", "info")
# address, time, method, path (%(U)s: without the query string), protocol, status, bytes, milliseconds
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
