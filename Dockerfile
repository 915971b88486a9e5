# Symbl Admin — production image. Build: docker build -t symbl-admin .
# Run:   docker run -p 8000:8000 -e DJANGO_SECRET_KEY=... -e DJANGO_ALLOWED_HOSTS=example.com symbl-admin
# The local Management API as its own service (same image):
#        docker run -p 8001:8001 -e DJANGO_SECRET_KEY=... symbl-admin python manage.py run_management_api --host 0.0.0.0 --port 8001 --data /app/var/management-api.sqlite3

FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
COPY pyproject.toml ./
RUN pip install --upgrade pip && pip install ".[postgres]"
COPY . .
# Static files are collected at build time with a throwaway key that never reaches the image.
RUN DJANGO_SECRET_KEY=collectstatic-only SYMBL_VAR_DIR=/tmp/var python manage.py collectstatic --noinput -v 0

FROM python:3.11-slim AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=symbl_admin.settings \
    WEB_CONCURRENCY=2 GUNICORN_THREADS=4 GUNICORN_TIMEOUT=30 PORT=8000
RUN groupadd --system app && useradd --system --gid app --home /app --shell /usr/sbin/nologin app
WORKDIR /app
COPY --from=build /opt/venv /opt/venv
COPY --from=build --chown=app:app /app /app
RUN rm -rf /app/var && mkdir -p /app/var && chown app:app /app/var
USER app
EXPOSE 8000
VOLUME ["/app/var"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD python -c "import os,urllib.request,sys; sys.exit(0 if urllib.request.urlopen(f'http://127.0.0.1:{os.environ.get(\"PORT\",\"8000\")}/healthz', timeout=4).status == 200 else 1)"
CMD ["sh", "-c", "python manage.py migrate --noinput && exec gunicorn symbl_admin.wsgi:application --bind 0.0.0.0:${PORT} --workers ${WEB_CONCURRENCY} --threads ${GUNICORN_THREADS} --timeout ${GUNICORN_TIMEOUT} --no-control-socket --access-logfile -"]
