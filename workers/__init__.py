"""Process entry points: the rq worker and the rq cron configuration (app/ never imports them)."""
