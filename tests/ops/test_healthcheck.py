"""docker/healthcheck.py, the image's HEALTHCHECK: which Host it sends and which server it asks.
tests/image runs it for real in containers; these are its choices, without podman."""

from __future__ import annotations

import importlib.util

import pytest

from .checkout import ROOT

_spec = importlib.util.spec_from_file_location("healthcheck", ROOT / "docker" / "healthcheck.py")
healthcheck = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(healthcheck)


@pytest.mark.parametrize(
    ("allowed", "host"),
    [
        ("example.com", "example.com"),
        (" admin.example.com , other.example.com", "admin.example.com"),
        (".example.com", "example.com"),  # example.com and its subdomains
        ("*", "localhost"),
        ("", "localhost"),
        ("127.0.0.1,localhost,testserver", "127.0.0.1"),
    ],
)
def test_the_host_sent_is_one_django_allows(allowed, host):
    assert healthcheck.health_host(allowed) == host


@pytest.mark.parametrize(
    ("command_line", "port"),
    [
        (["/bin/sh", "/app/docker/entrypoint.sh", "serve"], None),
        (
            ["python", "manage.py", "run_management_api", "--host", "0.0.0.0", "--port", "9001"],
            9001,
        ),
        (["python", "manage.py", "run_management_api", "--port=9002"], 9002),
        (["python", "manage.py", "run_management_api"], 8001),
    ],
)
def test_a_container_running_the_management_api_is_asked_on_its_port(command_line, port):
    assert healthcheck.api_port(command_line) == port
