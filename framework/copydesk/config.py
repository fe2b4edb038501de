"""Configuration: ``copydesk.toml`` or ``[tool.copydesk]`` in pyproject.toml, plus CLI overrides.

The core options are validated by :class:`CopydeskConfig`; each analyzer's
options (``[tool.copydesk.settings.hedging]`` or ``--set hedging.key=value``)
by that analyzer's own ``Settings`` model when a run starts. A misspelled key or
a wrong value is a :class:`~copydesk.errors.ConfigError` naming the file, the
analyzer and the key.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from copydesk.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

CONFIG_FILE = "copydesk.toml"


class CopydeskConfig(BaseModel):
    """Options for a run. Every field can be set in the config file."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _renamed_keys(cls, data: Any) -> Any:
        # "analyzers" meant options here but a selection everywhere else (-a, Engine):
        # the tables are now [settings.NAME]; the old name works, with a warning.
        if isinstance(data, dict) and "analyzers" in data:
            data = dict(data)
            old = data.pop("analyzers")
            if "settings" in data:
                msg = "both [analyzers] and [settings] are given; [analyzers] is the old name"
                raise ValueError(msg)
            _warn_once(
                "analyzers",
                "the [analyzers.NAME] config tables are now [settings.NAME] "
                "(the old name still works for now)",
            )
            data["settings"] = old
        return data

    @property
    def analyzers(self) -> dict[str, dict[str, Any]]:
        """Deprecated name of :attr:`settings`."""
        _warn_once("analyzers-attribute", "CopydeskConfig.analyzers is now .settings")
        return self.settings

    @field_validator("jobs")
    @classmethod
    def _positive_jobs(cls, value: int | str) -> int | str:
        if isinstance(value, int) and value < 1:
            msg = "jobs must be 1 or more, or 'auto'"
            raise ValueError(msg)
        return value

    model: str = Field(default="en_core_web_sm", description="spaCy pipeline to load.")
    select: list[str] | None = Field(
        default=None, description="Analyzers to run (default: all installed)."
    )
    exclude: list[str] = Field(default_factory=list, description="Analyzers not to run.")
    with_deps: bool = Field(default=False, description="Add analyzers that selected ones require.")
    disable_plugins: list[str] = Field(
        default_factory=list, description="Plugins (entry-point names) not to load."
    )
    batch_size: int = Field(default=16, ge=1, description="Documents per nlp.pipe batch.")
    jobs: int | Literal["auto"] = Field(
        default="auto",
        description="Worker processes: a number (1: none), or auto: the idle usable cores "
        "once the input holds more than a few batches, else none.",
    )
    executor: str | None = Field(
        default=None,
        description="How to run: serial, processes, or one a plugin adds (default: "
        "processes when jobs > 1, auto when jobs is auto).",
    )
    analyzer_timeout: float = Field(
        default=120.0,
        ge=0,
        description="Seconds one analyzer may spend on one document before it is recorded "
        "as failed there (0: no limit).",
    )
    max_chars: int = Field(
        default=1_000_000, ge=1, description="Longest document accepted, in characters."
    )
    strict: bool = Field(default=False, description="Re-raise analyzer errors (for debugging).")
    settings: dict[str, dict[str, Any]] = Field(
        default_factory=dict,
        description="Per-analyzer options: [settings.NAME] tables, by analyzer name.",
    )
    source: str | None = Field(default=None, exclude=True, description="Where it was read from.")


_WARNED: set[str] = set()


def _warn_once(key: str, message: str) -> None:
    """A DeprecationWarning, once per process for each renamed name."""
    if key in _WARNED:
        return
    _WARNED.add(key)
    import warnings

    warnings.warn(message, DeprecationWarning, stacklevel=4)


def find_config_file(start: Path) -> Path | None:
    """``copydesk.toml``, or a ``pyproject.toml`` with ``[tool.copydesk]``, in ``start``."""
    candidate = start / CONFIG_FILE
    if candidate.is_file():
        return candidate
    pyproject = start / "pyproject.toml"
    if pyproject.is_file():
        try:
            raw = pyproject.read_bytes()
        except OSError:
            return None
        try:
            data = tomllib.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            if b"tool.copydesk" in raw:  # our section is in a file we cannot read: say so
                msg = f"{pyproject}: invalid TOML, so [tool.copydesk] cannot be read ({exc})"
                raise ConfigError(msg) from exc
            return None
        if "copydesk" in data.get("tool", {}):
            return pyproject
    return None


def load_config(path: Path | None = None, *, search_dir: Path | None = None) -> CopydeskConfig:
    """Read and validate a config file (``path``, or the one found in ``search_dir``)."""
    if path is None and search_dir is not None:
        path = find_config_file(search_dir)
    if path is None:
        return CopydeskConfig()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        msg = f"{path}: cannot read config ({exc.strerror})"
        raise ConfigError(msg) from exc
    except UnicodeDecodeError as exc:
        msg = f"{path}: not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at {exc.start})"
        raise ConfigError(msg) from exc
    except tomllib.TOMLDecodeError as exc:
        msg = f"{path}: invalid TOML ({exc})"
        raise ConfigError(msg) from exc
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("copydesk", {})
    try:
        config = CopydeskConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{path}: {describe_validation_error(exc)}") from exc
    config.source = str(path)
    return config


def describe_validation_error(exc: ValidationError, prefix: str = "") -> str:
    """One line per problem, joined: ``key: message``."""
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error["loc"])
        where = f"{prefix}{where}" if where else prefix.rstrip(".")
        if error["type"] == "extra_forbidden":
            parts.append(f"unknown option {where!r}")
        else:
            given = error.get("input")
            parts.append(f"{where}: {error['msg']} (got {given!r})")
    return "; ".join(parts)


def parse_set_option(option: str) -> tuple[str, str, Any]:
    """Split ``analyzer.key=value``; the value is read as JSON when it parses as JSON."""
    target, sep, raw = option.partition("=")
    analyzer, dot, key = target.strip().partition(".")
    if not sep or not dot or not analyzer or not key:
        msg = f"--set {option!r}: expected ANALYZER.OPTION=VALUE, e.g. hedging.min_confidence=0.6"
        raise ConfigError(msg)
    try:
        value: Any = json.loads(raw)
    except json.JSONDecodeError:
        value = raw
    return analyzer, key, value


def apply_set_options(config: CopydeskConfig, options: list[str]) -> CopydeskConfig:
    """A copy of ``config`` with ``--set`` overrides merged into the analyzer settings."""
    merged = {name: dict(values) for name, values in config.settings.items()}
    for option in options:
        analyzer, key, value = parse_set_option(option)
        merged.setdefault(analyzer, {})[key] = value
    return config.model_copy(update={"settings": merged})


def validate_analyzer_settings(
    analyzer: str, settings_model: type[BaseModel], values: dict[str, Any], source: str | None
) -> BaseModel:
    """Validate one analyzer's settings; the error names the analyzer and valid keys.

    Unknown keys are refused whatever the model's own ``extra`` setting: a
    misspelled option silently ignored is a wrong result nobody notices.
    """
    known = set(settings_model.model_fields)
    known |= {f.alias for f in settings_model.model_fields.values() if f.alias}
    unknown = sorted(k for k in values if k not in known)
    if unknown:
        where = f"{source}: " if source else ""
        valid = ", ".join(sorted(settings_model.model_fields)) or "none"
        msg = (
            f"{where}analyzer {analyzer!r}: unknown option '{analyzer}.{unknown[0]}' "
            f"(valid options: {valid})"
        )
        raise ConfigError(msg)
    try:
        return settings_model.model_validate(values)
    except ValidationError as exc:
        where = f"{source}: " if source else ""
        valid = ", ".join(sorted(settings_model.model_fields)) or "none"
        detail = describe_validation_error(exc, prefix=f"{analyzer}.")
        msg = f"{where}analyzer {analyzer!r}: {detail} (valid options: {valid})"
        raise ConfigError(msg) from exc
