"""Service settings, read from environment variables (with safe local defaults)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore")

    database_url: str = f"sqlite:///{ROOT / 'var' / 'wlz.db'}"
    # shared secret for the action server; without it the internal API refuses everything
    internal_api_token: str = ""
    # one or more Rasa servers, comma separated; they share a tracker store in production
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_timeout_seconds: float = 10.0
    content_dir: Path = ROOT / "content"
    max_message_length: int = Field(2000, ge=1)

    @property
    def rasa_urls(self) -> list[str]:
        return [url.strip().rstrip("/") for url in self.rasa_url.split(",") if url.strip()]


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
