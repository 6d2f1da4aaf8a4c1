#!/bin/sh
# entrypoint.sh - wait for the database, migrate, then serve.
#
# Prevents: `alembic upgrade head` run the moment the container starts,
# before MySQL accepts connections (a fresh volume, a restarted database
# host), dying with (2003, "Can't connect to MySQL server") and putting
# the container in a restart loop - or, with `sleep 10` instead of a
# check, a deploy that is slow for nothing or still too early.
set -eu

# probe wait checks, again and again, that the app's own DATABASE_URL logs
# in and answers SELECT 1 (an open port is not a ready database), one log
# line per failed attempt, for at most 60 s; then it runs the migrations
# and becomes uvicorn (exec: uvicorn replaces it as PID 1 and gets the
# SIGTERM of `docker stop` - a shell in between would swallow it: a 10 s
# kill).  0.0.0.0: 127.0.0.1 is unreachable through the published port
# (probe's listen:// public=yes check says so).
exec probe wait --timeout 60s @DATABASE_URL @REDIS_URL -- \
	sh -c 'alembic upgrade head && exec uvicorn app.main:app --host 0.0.0.0 --port "${PORT:-8000}"'
