"""The rq worker: `python -m workers.worker` (or `rq worker --worker-class
workers.worker.AnjianWorker -u $REDIS_URL anjian`).

The app is created once, in the worker process, and bound for the jobs; rq forks a work-horse per
job, which inherits it. Each job then runs inside its app context and its own tenant scope
(app.jobs.execute), and commits once.
"""

from __future__ import annotations

import sys

from redis import Redis
from rq import Queue, Worker

from app import create_app, jobs
from app.extensions import db


def _bind_app():
    if not jobs.app_bound():
        jobs.bind_app(create_app())
    return jobs.bound_app()


class AnjianWorker(Worker):
    """Usable from `rq worker --worker-class workers.worker.AnjianWorker` too."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bind_app()

    def execute_job(self, job, queue):
        # The work-horse is a fork: never reuse the parent's pooled connections in it.
        with jobs.bound_app().app_context():
            db.engine.dispose(close=False)
        return super().execute_job(job, queue)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    app = _bind_app()
    url = app.config.get("REDIS_URL")
    if not url:
        print("REDIS_URL is not set: in the embedded mode jobs run inline", file=sys.stderr)
        return 2
    connection = Redis.from_url(url)
    queue = Queue(app.config["RQ_QUEUE"], connection=connection)
    worker = AnjianWorker([queue], connection=connection)
    worker.work(with_scheduler=True, burst="--burst" in argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
