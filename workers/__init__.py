"""Process entry points: the rq worker and the rq cron configuration. Nothing in app/ imports this."""
