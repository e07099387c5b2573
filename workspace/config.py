"""Settings, read from the environment (and a `.env` file) with defaults that run anywhere."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def secret_key(instance_path: Path) -> str:
    """Return WORKSPACE_SECRET_KEY, or a key generated once and kept in the instance folder."""
    if key := os.environ.get("WORKSPACE_SECRET_KEY"):
        return key
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    return key_file.read_text().strip()


def env_choice(name: str, choices: tuple[str, ...]) -> str:
    """A setting with a fixed set of values (the first is the default); another value stops
    the start with a message that names them."""
    value = os.environ.get(name, choices[0]).strip().lower() or choices[0]
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(choices)}; it is {value!r}.")
    return value


# Who may create projects, and who may ask for a sign-in link by email (see README).
PROJECT_CREATORS = ("members", "admins", "everyone")
SIGNIN_LINKS = ("clients", "everyone", "off")


def from_environment(instance_path: Path) -> dict[str, object]:
    database_url = os.environ.get(
        "WORKSPACE_DATABASE_URL", f"sqlite:///{instance_path / 'workspace.db'}"
    )
    return {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WORKSPACE_OPEN_SIGNUP": env_flag("WORKSPACE_OPEN_SIGNUP"),
        "WORKSPACE_LOGIN_RATE_LIMIT": os.environ.get(
            "WORKSPACE_LOGIN_RATE_LIMIT", "10 per minute;50 per hour"
        ),
        # Password resets and sign-in links: per email address, and per client address.
        "WORKSPACE_EMAIL_LINK_RATE_LIMIT": os.environ.get(
            "WORKSPACE_EMAIL_LINK_RATE_LIMIT", "5 per hour"
        ),
        "WORKSPACE_EMAIL_LINK_IP_RATE_LIMIT": os.environ.get(
            "WORKSPACE_EMAIL_LINK_IP_RATE_LIMIT", "30 per hour"
        ),
        "WORKSPACE_PROJECT_CREATORS": env_choice("WORKSPACE_PROJECT_CREATORS", PROJECT_CREATORS),
        "WORKSPACE_SIGNIN_LINKS": env_choice("WORKSPACE_SIGNIN_LINKS", SIGNIN_LINKS),
        # Shared by every node when set (rate limits; /health checks it): see create_app.
        "WORKSPACE_REDIS_URL": os.environ.get("WORKSPACE_REDIS_URL", ""),
        "RATELIMIT_STORAGE_URI": os.environ.get("WORKSPACE_RATELIMIT_STORAGE_URI", "memory://"),
        "WORKSPACE_PROXIES": int(os.environ.get("WORKSPACE_PROXIES", "0")),
        "WORKSPACE_API_RATE_LIMIT": os.environ.get("WORKSPACE_API_RATE_LIMIT", "600 per minute"),
        "WORKSPACE_UPLOAD_DIR": os.environ.get(
            "WORKSPACE_UPLOAD_DIR", str(instance_path / "uploads")
        ),
        # Where contents are stored: "" (the upload folder), file:///path or s3://bucket/prefix.
        "WORKSPACE_STORAGE_URL": os.environ.get("WORKSPACE_STORAGE_URL", ""),
        "WORKSPACE_S3_ENDPOINT_URL": os.environ.get("WORKSPACE_S3_ENDPOINT_URL", ""),
        "WORKSPACE_S3_PRESIGN": env_flag("WORKSPACE_S3_PRESIGN"),
        "WORKSPACE_MAX_UPLOAD_MB": int(os.environ.get("WORKSPACE_MAX_UPLOAD_MB", "100")),
        "WORKSPACE_BASE_URL": os.environ.get("WORKSPACE_BASE_URL", "http://127.0.0.1:5000"),
        "WORKSPACE_SMTP_HOST": os.environ.get("WORKSPACE_SMTP_HOST", ""),
        "WORKSPACE_SMTP_PORT": int(os.environ.get("WORKSPACE_SMTP_PORT", "25")),
        "WORKSPACE_SMTP_USER": os.environ.get("WORKSPACE_SMTP_USER", ""),
        "WORKSPACE_SMTP_PASSWORD": os.environ.get("WORKSPACE_SMTP_PASSWORD", ""),
        "WORKSPACE_SMTP_STARTTLS": env_flag("WORKSPACE_SMTP_STARTTLS"),
        "WORKSPACE_MAIL_FROM": os.environ.get(
            "WORKSPACE_MAIL_FROM", "Workspace <workspace@localhost>"
        ),
        "WORKSPACE_SCHEDULER": os.environ.get("WORKSPACE_SCHEDULER", ""),
        "WORKSPACE_MAIL_INTERVAL_SECONDS": int(
            os.environ.get("WORKSPACE_MAIL_INTERVAL_SECONDS", "60")
        ),
        "WORKSPACE_RECAPS_INTERVAL_SECONDS": int(
            os.environ.get("WORKSPACE_RECAPS_INTERVAL_SECONDS", "300")
        ),
        "WORKSPACE_ALERTS_INTERVAL_SECONDS": int(
            os.environ.get("WORKSPACE_ALERTS_INTERVAL_SECONDS", "900")
        ),
        "WORKSPACE_CLEANUP_INTERVAL_SECONDS": int(
            os.environ.get("WORKSPACE_CLEANUP_INTERVAL_SECONDS", "86400")
        ),
        # Email in: replies to notifications and emails forwarded into projects.
        "WORKSPACE_MAIL_INBOUND_ADDRESS": os.environ.get("WORKSPACE_MAIL_INBOUND_ADDRESS", ""),
        "WORKSPACE_MAX_EMAIL_MB": int(os.environ.get("WORKSPACE_MAX_EMAIL_MB", "25")),
        "WORKSPACE_IMAP_HOST": os.environ.get("WORKSPACE_IMAP_HOST", ""),
        "WORKSPACE_IMAP_PORT": int(os.environ.get("WORKSPACE_IMAP_PORT", "993")),
        "WORKSPACE_IMAP_USER": os.environ.get("WORKSPACE_IMAP_USER", ""),
        "WORKSPACE_IMAP_PASSWORD": os.environ.get("WORKSPACE_IMAP_PASSWORD", ""),
        "WORKSPACE_IMAP_FOLDER": os.environ.get("WORKSPACE_IMAP_FOLDER", "INBOX"),
        "WORKSPACE_IMAP_TLS": env_flag("WORKSPACE_IMAP_TLS", default=True),
        "WORKSPACE_IMAP_INTERVAL_SECONDS": int(
            os.environ.get("WORKSPACE_IMAP_INTERVAL_SECONDS", "60")
        ),
        "SESSION_COOKIE_SECURE": env_flag("WORKSPACE_SECURE_COOKIES"),
        "REMEMBER_COOKIE_SECURE": env_flag("WORKSPACE_SECURE_COOKIES"),
    }


DEFAULTS: dict[str, object] = {
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "WTF_CSRF_TIME_LIMIT": None,
    "BABEL_DEFAULT_LOCALE": "en",
    "BABEL_DEFAULT_TIMEZONE": "UTC",
    "RATELIMIT_HEADERS_ENABLED": True,
    "RATELIMIT_STRATEGY": "moving-window",  # no reset at a window edge to hammer at
    # Redis unreachable: each process counts the same limits in its own memory meanwhile
    # (a warning is logged), so sign-in still works and is still limited.
    "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
    "HEALTH_CHECK_SECONDS": 1.0,  # how long /health trusts its last answer of Redis and storage
    "INVITATION_DAYS": 7,
    "PASSWORD_RESET_MINUTES": 60,
    "SIGNIN_LINK_MINUTES": 15,
    "PAGE_SIZE": 50,
    "PASSWORD_HASH_METHOD": "scrypt",
    "MAIL_MAX_ATTEMPTS": 6,
}
