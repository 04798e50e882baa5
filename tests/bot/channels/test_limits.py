"""Bounded input: every route refuses a body over the limit before reading it, chunked or not."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

TWO_MB = 2 * 1024 * 1024
ROUTES = ["/webhooks/twilio/sms", "/webhooks/twilio/status", "/webhooks/telegram", "/simulator", "/staff/login",
          "/healthz", "/nowhere"]


def _chunks(total: int, size: int = 64 * 1024) -> Iterator[bytes]:
    sent = 0
    while sent < total:
        yield b"a" * min(size, total - sent)
        sent += size


@pytest.mark.parametrize("path", ROUTES)
def test_a_chunked_two_megabyte_body_is_refused(client: TestClient, path: str) -> None:
    response = client.post(path, content=_chunks(TWO_MB), headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 413 and response.text == "request body too large\n"
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("path", ROUTES)
def test_a_declared_length_over_the_limit_is_refused(client: TestClient, path: str) -> None:
    response = client.post(path, content=b"a" * (300 * 1024), headers={"Content-Type": "application/json"})
    assert response.status_code == 413


def test_a_body_under_the_limit_still_reaches_the_route(client: TestClient) -> None:
    response = client.post("/webhooks/twilio/status", content=b"MessageSid=SM1&MessageStatus=sent",
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 403  # read in full, then refused for its missing signature


@pytest.mark.parametrize("path", ["/webhooks/twilio/status", "/webhooks/telegram"])
def test_the_server_answers_413_before_a_chunked_body_has_been_sent(served: int, path: str) -> None:
    """Only ~320 KiB of a chunked 2 MB upload is sent; the 413 is already there to read."""
    with socket.create_connection(("127.0.0.1", served), timeout=10) as sock:
        sock.sendall(f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
                     "Content-Type: application/x-www-form-urlencoded\r\n\r\n".encode())
        for chunk in _chunks(320 * 1024, 32 * 1024):  # the rest of the 2 MB is never sent
            sock.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
        answer = b""
        while b"\r\n\r\n" not in answer:
            data = sock.recv(4096)
            if not data:
                break
            answer += data
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
