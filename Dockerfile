# Symbl Admin — production image. README "Docker" says how to build, run and upgrade it.
#   docker build -t symbl-admin .
#   docker run --rm -v symbl-data:/app/var -e DJANGO_SECRET_KEY=... symbl-admin migrate
#   docker run -d -p 8000:8000 -v symbl-data:/app/var -e DJANGO_SECRET_KEY=... \
#     -e DJANGO_ALLOWED_HOSTS=admin.example.com symbl-admin
# The code is root's and read-only to the user that runs it (uid 10001); /app/var, the
# volume, is the only place it writes. Migrations are a step of their own (`migrate`), never
# a race between replicas starting; serving refuses to start on an unmigrated database.

FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
# Exactly the locked versions, each checked against its hash (`make lock` writes the file).
COPY requirements.lock /tmp/requirements.lock
RUN pip install --require-hashes --no-deps -r /tmp/requirements.lock
# .dockerignore lets in only what runs: no tests, benchmarks, CI or build leftovers.
WORKDIR /app
COPY . .
# Static files are collected at build time with a throwaway key that never reaches the image;
# the bytecode is compiled here because the code is read-only when it runs (pip compiled the
# venv's); every file readable by all and writable by its owner, root, only.
RUN DJANGO_SECRET_KEY=collectstatic-only SYMBL_VAR_DIR=/tmp/var python manage.py collectstatic --noinput -v 0 \
 && rm -rf /tmp/var /app/var \
 && python -m compileall -q /app \
 && chmod -R a+rX,go-w /app /opt/venv

FROM python:3.11-slim AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=symbl_admin.settings \
    WEB_CONCURRENCY=2 GUNICORN_THREADS=4 GUNICORN_TIMEOUT=30 PORT=8000
# A fixed uid/gid, so a host folder mounted at /app/var can be given to it: chown 10001:10001.
RUN groupadd --gid 10001 app \
 && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /app/var --shell /usr/sbin/nologin app
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
RUN mkdir -m 0700 /app/var && chown 10001:10001 /app/var
WORKDIR /app
USER 10001:10001
EXPOSE 8000
VOLUME ["/app/var"]
# Sends a Host from DJANGO_ALLOWED_HOSTS, so it passes whatever hosts are allowed; in a
# container running the Management API it asks that server instead (docker/healthcheck.py).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["python", "/app/docker/healthcheck.py"]
ENTRYPOINT ["/app/docker/entrypoint.sh"]
CMD ["serve"]
