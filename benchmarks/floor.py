"""The floor for any JSON API: a WSGI app answering every GET with the same bytes (the file
named by BENCH_FLOOR_FILE: the Management API's own full tracker list), served by gunicorn
with the Management API server's options."""

import os

with open(os.environ["BENCH_FLOOR_FILE"], "rb") as file:
    BODY = file.read()
HEADERS = [("Content-Type", "application/json"), ("Content-Length", str(len(BODY)))]


def app(environ, start_response):
    start_response("200 OK", HEADERS)
    return [BODY]
