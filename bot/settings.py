"""Service settings, read from environment variables (with safe local defaults)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from contract.paths import content_dir

ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore")

    database_url: str = f"sqlite:///{ROOT / 'var' / 'wlz.db'}"
    # shared secret for the action server; without it the internal API refuses everything
    internal_api_token: str = ""
    # one or more Rasa servers, comma separated; they share a tracker store in production
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_timeout_seconds: float = 10.0
    # Rasa's HTTP API token (rasa run --enable-api --auth-token): the safety layer reads messages
    # to an adviser during a live takeover through it; empty: those are not checked
    rasa_api_token: str = ""
    content_dir: Path = Field(default_factory=content_dir)  # CONTENT_DIR, as in every process
    max_message_length: int = Field(default=2000, ge=1)
    # the address citizens use; links to a printable plan start with it
    public_url: str = "http://127.0.0.1:8000"
    # conversations, handoffs and plans older than this are deleted by `python -m bot.cli purge`
    retention_days: int = Field(default=30, ge=1)
    # Rasa's tracker store (endpoints.yml): purge and erase clean it too
    rasa_tracker_db_url: str = f"sqlite:///{ROOT / 'var' / 'rasa_tracker.db'}"
    # run the purge from the service every this many hours (0: only by hand or cron)
    purge_every_hours: float = Field(default=0, ge=0)
    staff_session_hours: float = Field(default=8.0, gt=0)
    # a staff session nobody used for this long ends (the portal's presence ping counts as use)
    staff_idle_minutes: float = Field(default=30.0, gt=0)
    # a live takeover whose adviser was not seen for this long goes back to the bot
    takeover_lease_seconds: int = Field(default=300, ge=30)
    lockout_after_failures: int = Field(default=5, ge=1)
    lockout_minutes: int = Field(default=15, ge=1)
    # staff sign-in attempts per minute, per address and in total (checked before the password)
    login_rate_per_address: int = Field(default=10, ge=1)
    login_rate_total: int = Field(default=100, ge=1)
    # public chat API: messages per minute per conversation and per client address
    rate_per_conversation: int = Field(default=20, ge=1)
    rate_per_client: int = Field(default=60, ge=1)
    # reverse proxies whose X-Forwarded-For is believed (comma-separated CIDR ranges); empty: none,
    # every request counts for the address that connects (bot/clients.py)
    trusted_proxies: str = ""
    # signs the one-minute tickets that open a citizen's live stream (bot/stream_tickets.py);
    # give every web process the same value. Empty: a random key per process (one process only)
    stream_secret: str = ""
    # open live-event streams per client address and web process (one per open chat window)
    max_streams_per_client: int = Field(default=8, ge=1)
    # shared rate-limit counts for several web processes; empty: counted in this process
    redis_url: str = ""
    max_body_bytes: int = Field(default=64_000, ge=1024)
    # sites that embed the widget (comma separated, e.g. https://www.zorgkantoor.nl);
    # empty: same site only
    widget_origins: str = ""
    # an adviser counts as present for live chat when seen this recently
    presence_seconds: int = Field(default=120, ge=10)

    @property
    def widget_origin_list(self) -> list[str]:
        return [o.strip().rstrip("/") for o in self.widget_origins.split(",") if o.strip()]

    @property
    def rasa_urls(self) -> list[str]:
        return [url.strip().rstrip("/") for url in self.rasa_url.split(",") if url.strip()]


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
