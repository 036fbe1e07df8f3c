"""The rq worker: `python -m workers.worker` (or `rq worker --worker-class
workers.worker.AnjianWorker -u $REDIS_URL anjian`).

The app is created once, in the worker process, and bound for the jobs; rq forks a work-horse per
job, which inherits it. Each job then runs inside its app context and its own tenant scope
(app.jobs.execute), and commits once.
"""

from __future__ import annotations

import os
import sys

from redis import Redis
from rq import Queue, Worker

from app import create_app, jobs
from app.extensions import db


class AnjianWorker(Worker):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        app = create_app()
        with app.app_context():
            # Never share pooled connections across the fork into the work-horse.
            db.engine.dispose()
        jobs.bind_app(app)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    url = os.environ.get("REDIS_URL")
    if not url:
        print("REDIS_URL is not set: in the embedded mode jobs run inline", file=sys.stderr)
        return 2
    connection = Redis.from_url(url)
    queue = Queue(os.environ.get("ANJIAN_RQ_QUEUE", "anjian"), connection=connection)
    worker = AnjianWorker([queue], connection=connection)
    worker.work(with_scheduler=True, burst="--burst" in argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
