#!/bin/sh
# The image's entrypoint. `serve` (the default): the dashboard under gunicorn, once the
# database is migrated. `migrate`: apply migrations once per release (first run, upgrade),
# then exit. Anything else runs as given, e.g. `python manage.py run_management_api ...`.
set -eu
case "${1:-serve}" in
  serve)
    # Silent and non-zero: migrations are missing. Anything printed is another problem
    # (no DJANGO_SECRET_KEY, the database unreachable), shown as it is.
    status=0
    problem=$(python manage.py migrate --check --verbosity 0 2>&1) || status=$?
    if [ "$status" -ne 0 ]; then
      if [ -z "$problem" ]; then
        echo "The database is not migrated: run this image once with the argument \`migrate\` (same volume or DATABASE_URL), then start it again." >&2
      else
        echo "$problem" >&2
      fi
      exit 1
    fi
    exec gunicorn symbl_admin.wsgi:application --bind "0.0.0.0:${PORT}" \
      --workers "${WEB_CONCURRENCY}" --threads "${GUNICORN_THREADS}" --timeout "${GUNICORN_TIMEOUT}" \
      --no-control-socket --access-logfile -
    ;;
  migrate)
    exec python manage.py migrate --noinput
    ;;
  *)
    exec "$@"
    ;;
esac
