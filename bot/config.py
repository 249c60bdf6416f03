"""Settings from the environment (prefix ``BOT_``)."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET = "change-me-demo-only"  # noqa: S105 - the demo default, refused outside demo


class ConfigError(RuntimeError):
    """A setting is missing or wrong; the message names the variable."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BOT_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///./data/bot.db"
    sms_transport: Literal["simulator", "twilio"] = "simulator"
    twilio_account_sid: str = ""
    twilio_auth_token: str = ""
    twilio_from_number: str = ""
    twilio_messaging_service_sid: str = ""
    twilio_whatsapp_from: str = ""
    twilio_api_url: str = "https://api.twilio.com"
    public_url: str = "http://127.0.0.1:8000"
    secret_key: str = DEFAULT_SECRET
    timezone: str = "Europe/Copenhagen"
    default_region: str = "DK"
    demo: bool = False
    scheduler_enabled: bool = True
    dispatch_interval_seconds: float = 5.0
    sms_max_per_second: float = 10.0
    send_max_attempts: int = 6
    # A message still at "sent" after this many minutes is checked with the provider.
    stale_sent_minutes: int = 60
    retention_days: int = 730
    # Photos and documents (a doctor's note) larger than this are not fetched from the provider.
    media_max_bytes: int = 5_000_000
    # Ticket kinds whose 24-hour clock counts business hours (Mon-Fri 08:00-16:00 local, Danish
    # public holidays off) instead of wall-clock hours; e.g. ["recruitment", "question"].
    sla_business_hours_kinds: list[str] = []
    # After this many sick days in a row the consultant is asked to get documentation.
    sick_days_before_documentation: int = 3
    # A running placement gets a follow-up visit or call at least this often (workflow 3).
    follow_up_days: int = 14
    log_level: str = "INFO"

    def check(self) -> None:
        """Refuse to start with a configuration that cannot work; one line naming the variable."""
        if self.sms_transport == "twilio":
            if not self.twilio_account_sid:
                raise ConfigError("BOT_TWILIO_ACCOUNT_SID is required when BOT_SMS_TRANSPORT=twilio")
            if not self.twilio_auth_token:
                raise ConfigError("BOT_TWILIO_AUTH_TOKEN is required when BOT_SMS_TRANSPORT=twilio")
            if not (self.twilio_from_number or self.twilio_messaging_service_sid):
                raise ConfigError(
                    "BOT_TWILIO_FROM_NUMBER or BOT_TWILIO_MESSAGING_SERVICE_SID is required "
                    "when BOT_SMS_TRANSPORT=twilio"
                )
            if self.secret_key == DEFAULT_SECRET or not self.secret_key:
                raise ConfigError(
                    "BOT_SECRET_KEY must be set to a secret value when BOT_SMS_TRANSPORT=twilio"
                )
        if not self.demo and self.secret_key in ("", DEFAULT_SECRET):
            raise ConfigError("BOT_SECRET_KEY must be set to a secret value outside demo mode (BOT_DEMO=1)")


@lru_cache
def get_settings() -> Settings:
    return Settings()
