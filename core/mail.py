"""Sending one plain-text email over SMTP, configured by one URL (``FRONTDOOR_SMTP_URL``).

``smtp://host:port`` (plain, STARTTLS when the server offers it),
``smtp+starttls://...`` (STARTTLS required) or ``smtps://user:pass@host:port``
(TLS from the start); user and password are optional and URL-encoded.
Standard library only. Failures are classified for the caller's retry rule:
a 5xx refusal of the recipient is permanent, anything else is worth retrying.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from urllib.parse import unquote, urlsplit

__all__ = ["MailConfig", "MailError", "parse_smtp_url", "send_mail"]


class MailError(Exception):
    """A send that failed; ``permanent`` when retrying cannot help (the server refused the recipient)."""

    def __init__(self, code: str, *, permanent: bool) -> None:
        super().__init__(code)
        self.code, self.permanent = code, permanent


@dataclass(frozen=True)
class MailConfig:
    host: str
    port: int
    tls: str  # "ssl" | "starttls" | "opportunistic"
    username: str | None
    password: str | None
    sender: str
    timeout: float = 20.0


def parse_smtp_url(url: str, *, sender: str) -> MailConfig:
    parts = urlsplit(url)
    schemes = {"smtp": ("opportunistic", 25), "smtp+starttls": ("starttls", 587), "smtps": ("ssl", 465)}
    if parts.scheme not in schemes or not parts.hostname:
        raise ValueError("FRONTDOOR_SMTP_URL must look like smtp://host:port or smtps://user:pass@host:port")
    tls, default_port = schemes[parts.scheme]
    return MailConfig(host=parts.hostname, port=parts.port or default_port, tls=tls,
                      username=unquote(parts.username) if parts.username else None,
                      password=unquote(parts.password) if parts.password else None, sender=sender)


def send_mail(config: MailConfig, *, to: str, subject: str, body: str) -> None:
    """Send one message, or raise MailError with a short code (no addresses, no text)."""
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = config.sender, to, subject
    message["Message-ID"] = make_msgid(domain=config.sender.rpartition("@")[2] or None)
    message.set_content(body)
    context = ssl.create_default_context()
    try:
        if config.tls == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(config.host, config.port, timeout=config.timeout,
                                                    context=context)
        else:
            client = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
        with client:
            client.ehlo()
            if config.tls == "starttls" or (config.tls == "opportunistic" and client.has_extn("starttls")):
                client.starttls(context=context)
                client.ehlo()
            if config.username:
                client.login(config.username, config.password or "")
            client.send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        raise MailError(f"smtp:{codes[0] if codes else 'refused'}",
                        permanent=bool(codes) and all(500 <= c < 600 for c in codes)) from None
    except smtplib.SMTPResponseException as exc:
        raise MailError(f"smtp:{exc.smtp_code}", permanent=False) from None
    except (smtplib.SMTPException, OSError) as exc:
        raise MailError(f"error:{type(exc).__name__}", permanent=False) from None
