"""rq cron configuration: `rq cron workers/cron.py -u $REDIS_URL`. Run exactly one.

Periodic jobs are keyed by period (job ids carry the date) so a second scheduler, or a rerun,
changes nothing.
"""

import os

from rq import cron

from app.jobs import execute

QUEUE = os.environ.get("ANJIAN_RQ_QUEUE", "anjian")  # the same setting the app reads

# Nightly at 02:10 Asia/Shanghai (18:10 UTC): verify every audit chain and sign its head.
cron.register(
    execute,
    queue_name=QUEUE,
    args=("audit.checkpoint_all", None, {}),
    cron="10 18 * * *",
    name="audit-checkpoint-all",
)

# Nightly at 02:30 Asia/Shanghai (18:30 UTC): full four-color recompute of every authority.
cron.register(
    execute,
    queue_name=QUEUE,
    args=("risks.recompute_all", None, {}),
    cron="30 18 * * *",
    name="risks-recompute-all",
)

# Daily at 00:05 Asia/Shanghai (16:05 UTC): mark overdue hidden dangers, once per authority and day.
cron.register(
    execute,
    queue_name=QUEUE,
    args=("dangers.mark_overdue_all", None, {}),
    cron="5 16 * * *",
    name="dangers-mark-overdue-all",
)

# Daily at 00:20 Asia/Shanghai (16:20 UTC): re-inspection tasks for findings past their deadline.
cron.register(
    execute,
    queue_name=QUEUE,
    args=("inspections.schedule_reinspections_all", None, {}),
    cron="20 16 * * *",
    name="inspections-schedule-reinspections-all",
)

# Nightly at 02:50 Asia/Shanghai (18:50 UTC): enterprise classes (良好/正常/提醒/警示), per day.
cron.register(
    execute,
    queue_name=QUEUE,
    args=("classification.compute_all", None, {}),
    cron="50 18 * * *",
    name="classification-compute-all",
)
