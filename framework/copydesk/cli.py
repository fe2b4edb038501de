"""The ``copydesk`` command line.

Kept cheap to start: this module imports click and copydesk's light modules
only. spaCy loads inside ``analyze`` when a selected analyzer needs it, so
``copydesk --help``, ``--version``, ``plugins`` and ``schema`` never pay for it.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

import click

from copydesk.errors import EXIT_OK, EXIT_USAGE, CopydeskError

BUILTIN_COMMANDS = ("analyze", "plugins", "schema", "new-plugin", "serve", "report")


class _Jobs(click.ParamType[Any, Any]):
    """``-j``: a positive number or ``auto``."""

    name = "N|auto"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if value == "auto" or isinstance(value, int):
            return value
        try:
            number = int(value)
        except ValueError:
            number = 0
        if number < 1:
            self.fail(f"{value!r} is not a positive number or 'auto'", param, ctx)
        return number


_JOBS = _Jobs()


def _split_names(values: Iterable[str]) -> list[str]:
    return [n.strip() for value in values for n in value.split(",") if n.strip()]


class CopydeskGroup(click.Group):
    """A group that adds plugin commands lazily, only when a command is looked up."""

    def _plugin_commands(self, ctx: click.Context) -> dict[str, click.Command]:
        cached: dict[str, click.Command] | None = ctx.meta.get("copydesk.plugin_commands")
        if cached is not None:
            return cached
        commands: dict[str, click.Command] = {}
        owners: dict[str, str] = {}
        try:
            host = _host_from(ctx, builtin_entry_points=False, essential=False)
        except CopydeskError as exc:
            click.echo(f"copydesk: warning: plugin commands unavailable: {exc}", err=True)
            host = None
        for record in host.plugins if host else []:
            if "register_commands" not in record.hooks:
                continue
            holder = click.Group()
            # one plugin at a time, so a raising plugin loses only its own commands
            for _record, _ in host.call_each("register_commands", only=record, cli=holder):
                for name, command in holder.commands.items():
                    clash = "copydesk" if name in BUILTIN_COMMANDS else owners.get(name)
                    if clash:
                        click.echo(
                            f"copydesk: warning: plugin {record.name} adds command {name!r}, "
                            f"already taken by {clash}; ignored",
                            err=True,
                        )
                        continue
                    commands[name] = command
                    owners[name] = record.name
            if record.status == "error":
                click.echo(f"copydesk: warning: plugin {record.name}: {record.error}", err=True)
        ctx.meta["copydesk.plugin_commands"] = commands
        return commands

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*super().list_commands(ctx), *sorted(self._plugin_commands(ctx))]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            return command
        return self._plugin_commands(ctx).get(cmd_name)


def _host_from(ctx: click.Context, **extra: Any) -> Any:
    """A plugin host honouring -p no:NAME, the config's disable_plugins and autoload flags."""
    from copydesk.plugins import make_plugin_host

    root = ctx.find_root()
    options = root.obj or {}
    blocked = list(options.get("blocked", ()))
    with contextlib.suppress(CopydeskError):  # a broken config is reported where it is needed
        blocked += _disabled_plugins(options.get("config_path"))
    # A plugin's print() at import time must not corrupt JSON on standard output.
    with contextlib.redirect_stdout(sys.stderr):
        return make_plugin_host(
            blocked=blocked,
            disable_autoload=options.get("disable_autoload"),
            **extra,
        )


def _disabled_plugins(config_path: Path | None) -> list[str]:
    """``disable_plugins`` from the config file, read without pydantic (``--help`` stays light)."""
    if sys.version_info >= (3, 11):
        from tomllib import loads as tomllib_loads
    else:  # pragma: no cover - exercised on 3.10 only
        from tomli import loads as tomllib_loads

    path = config_path
    if path is None:
        for candidate in (Path.cwd() / "copydesk.toml", Path.cwd() / "pyproject.toml"):
            if candidate.is_file():
                path = candidate
                break
    if path is None or not path.is_file():
        return []
    try:
        data = tomllib_loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("copydesk", {})
    value = data.get("disable_plugins", [])
    return [str(v) for v in value] if isinstance(value, list) else []


def _version() -> str:
    from copydesk import __version__

    return str(__version__)


@click.group(cls=CopydeskGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(version=None, package_name="copydesk", prog_name="copydesk")
@click.option(
    "-p",
    "plugin_args",
    multiple=True,
    metavar="no:NAME",
    help="Block a plugin by entry-point name before it is imported (repeatable).",
)
@click.option(
    "--disable-plugin-autoload",
    is_flag=True,
    default=None,
    help="Load only copydesk's built-in plugins (also COPYDESK_DISABLE_PLUGIN_AUTOLOAD=1).",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Config file (default: ./copydesk.toml or [tool.copydesk] in ./pyproject.toml).",
)
@click.pass_context
def cli(
    ctx: click.Context,
    plugin_args: tuple[str, ...],
    disable_plugin_autoload: bool | None,
    config_path: Path | None,
) -> None:
    """copydesk: who is cited, how sure the copy is, how hard it reads, and who is in it.

    Every finding is pinned to a character span of the article.

    Exit codes: 0 success; 1 analysis completed with document or analyzer errors;
    2 usage, configuration or input error.
    """
    blocked = []
    for arg in plugin_args:
        if not arg.startswith("no:") or len(arg) <= 3:
            raise click.BadParameter(f"expected no:NAME, got {arg!r}", param_hint="-p")
        blocked.append(arg[3:])
    ctx.obj = {
        "blocked": blocked,
        "disable_autoload": disable_plugin_autoload,
        "config_path": config_path,
    }


def _load_config(ctx: click.Context) -> Any:
    from copydesk.config import load_config

    options = ctx.find_root().obj or {}
    config = load_config(options.get("config_path"), search_dir=Path.cwd())
    blocked = list(options.get("blocked", ()))
    if blocked:
        config = config.model_copy(update={"disable_plugins": [*config.disable_plugins, *blocked]})
    return config


def _fail(message: str, code: int = EXIT_USAGE) -> None:
    click.echo(f"copydesk: error: {message}", err=True)
    sys.exit(code)


def _silence_stdout() -> None:
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


@cli.command()
@click.argument("paths", nargs=-1, metavar="[PATH|-]...")
@click.option(
    "-a",
    "--analyzers",
    "analyzer_names",
    multiple=True,
    metavar="NAMES",
    help="Analyzers to run, comma-separated (default: all installed).",
)
@click.option(
    "-x", "--exclude", multiple=True, metavar="NAMES", help="Analyzers not to run, comma-separated."
)
@click.option(
    "-f",
    "--format",
    "format_name",
    default=None,
    metavar="NAME",
    help="Output format: text, json, jsonl, or one a plugin adds (default: text, or "
    "from --output's suffix).",
)
@click.option(
    "-o",
    "--output",
    "output_arg",
    type=click.Path(path_type=str),
    help="Write to FILE instead of standard output; FOLDER/ (a trailing slash, or an "
    "existing folder) writes one shard per partition there (jsonl by default); NAME.parquet is a "
    "folder of Parquet tables.",
)
@click.option("--model", default=None, help="spaCy pipeline (default: en_core_web_sm).")
@click.option(
    "-s",
    "--set",
    "set_options",
    multiple=True,
    metavar="ANALYZER.OPTION=VALUE",
    help="Override an analyzer setting, e.g. --set stats.long_sentence_words=30.",
)
@click.option(
    "--input-format",
    default="auto",
    show_default=True,
    metavar="NAME",
    help="How to read inputs: auto (by suffix; stdin is sniffed), text, json, jsonl, "
    "or a reader a plugin adds.",
)
@click.option("--text-column", default=None, help="CSV/TSV/Parquet column holding the text.")
@click.option("--id-column", default=None, help="CSV/TSV/Parquet column holding the id.")
@click.option("--title-column", default=None, help="CSV/TSV/Parquet column holding the headline.")
@click.option(
    "--no-headline",
    is_flag=True,
    help="Analyze the body only (by default a corpus document's headline starts its text).",
)
@click.option(
    "--findings-csv",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="With --format csv: also write the findings, one per row, to this file.",
)
@click.option(
    "--resume",
    is_flag=True,
    help="Skip documents already in --output and append the rest (jsonl, csv, sqlite, parquet).",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar (problems and summary only).")
@click.option(
    "--with-deps", is_flag=True, default=None, help="Add analyzers the selected ones require."
)
@click.option("--strict", is_flag=True, default=None, help="Stop at the first analyzer error.")
@click.option(
    "--batch-size",
    type=click.IntRange(min=1, max=100_000),
    default=None,
    help="Documents per batch.",
)
@click.option(
    "-j",
    "--jobs",
    type=_JOBS,
    default=None,
    help="Worker processes: N, or auto (the default: the idle cores once the input holds "
    "more than a few batches). Output order is kept.",
)
@click.option(
    "--executor",
    "executor_name",
    default=None,
    metavar="NAME",
    help="How to run: serial, processes, or one a plugin adds (default: processes "
    "when --jobs > 1).",
)
@click.option(
    "--executor-option",
    "executor_options",
    multiple=True,
    metavar="KEY=VALUE",
    help="An option for the executor's factory (repeatable); VALUE is read as JSON when it "
    "parses (numbers, true), else as a string, e.g. --executor-option workers=4.",
)
@click.option(
    "--scheduler",
    default=None,
    metavar="ADDRESS",
    help="Shorthand for --executor-option scheduler=ADDRESS (e.g. tcp://host:8786 with "
    "--executor dask).",
)
@click.pass_context
def analyze(
    ctx: click.Context,
    paths: tuple[str, ...],
    analyzer_names: tuple[str, ...],
    exclude: tuple[str, ...],
    format_name: str | None,
    output_arg: str | None,
    model: str | None,
    set_options: tuple[str, ...],
    input_format: str,
    text_column: str | None,
    id_column: str | None,
    title_column: str | None,
    no_headline: bool,
    findings_csv: Path | None,
    resume: bool,
    quiet: bool,
    with_deps: bool | None,
    strict: bool | None,
    batch_size: int | None,
    jobs: int | str | None,
    executor_name: str | None,
    executor_options: tuple[str, ...],
    scheduler: str | None,
) -> None:
    """Analyze articles: files, directories, globs, URLs, or - for stdin.

    Inputs by suffix: .txt/.md, .json/.jsonl ({"id": ..., "text": ..., "title": ...,
    "meta": {...}}), .csv/.tsv/.parquet (one article per row), .html/.htm (saved
    pages: the article is extracted), .warc/.warc.gz (web archives); http(s)://
    URLs are fetched. Outputs by --output suffix: .txt, .json, .jsonl, .csv,
    .parquet (a folder of tables), .sqlite/.db.
    """
    from copydesk.config import apply_set_options
    from copydesk.io.sinks import Output, sink_type_for
    from copydesk.io.sources import iter_documents, output_among_inputs
    from copydesk.rendering import Renderers
    from copydesk.runner import Engine
    from copydesk.session import run, run_meta

    inputs = list(paths) or ["-"]
    output = Path(output_arg) if output_arg is not None and output_arg != "-" else None
    folder_output = (
        output_arg is not None
        and output is not None
        and (
            output_arg.endswith(("/", os.sep))
            # a Parquet output is a folder too, not a folder of shards
            or (
                output.is_dir() and output.suffix.lower() != ".parquet" and format_name != "parquet"
            )
        )
    )
    if output is None and (sys.stdout is None or sys.stdout.closed):
        _fail("standard output is closed; name an output file with -o FILE")
    if analyzer_names and not _split_names(analyzer_names):
        _fail("--analyzers: no analyzer named (an empty list runs nothing; omit -a to run all)")
    try:
        factory_options = _executor_options(executor_options, scheduler)
        if factory_options and executor_name is None:
            _fail("--executor-option/--scheduler: name the executor with --executor NAME")
        config = _load_config(ctx)
        config = apply_set_options(config, list(set_options))
        updates: dict[str, Any] = {}
        if batch_size is not None:
            updates["batch_size"] = batch_size
        if jobs is not None:
            updates["jobs"] = jobs
        if executor_name is not None:
            updates["executor"] = executor_name
        config = config.model_copy(update=updates)
        options = ctx.find_root().obj or {}
        engine = Engine(
            config,
            analyzers=_split_names(analyzer_names) or None,
            exclude=_split_names(exclude) or None,
            model=model,
            strict=strict,
            with_deps=with_deps,
            disable_autoload=options.get("disable_autoload"),
        )
        from copydesk.io.corpus import ReadOptions, configure

        sinks = engine.host.sinks()
        readers = configure(
            engine.host.readers(),
            ReadOptions(text_column, id_column, title_column, headline=not no_headline),
        )
        if format_name is None and folder_output:
            format_name = "jsonl"
        if format_name is None:
            found = sink_type_for(output, sinks) if output and output.suffix else None
            if output is not None and output.suffix and found is None:
                known = ", ".join(sorted(sinks))
                _fail(
                    f"--output {output}: no format writes {output.suffix!r} files "
                    f"(formats: {known}); name one with --format"
                )
            format_name = found.name if found else "text"
        if format_name not in sinks:
            _fail(f"--format: unknown format {format_name!r} (known: {', '.join(sorted(sinks))})")
        if input_format != "auto" and input_format not in readers:
            known = ", ".join(["auto", *sorted(readers)])
            _fail(f"--input-format: unknown format {input_format!r} (known: {known})")
        if output is None and format_name in ("parquet", "sqlite"):
            _fail(f"--format {format_name} writes files: name one with --output")
        if findings_csv is not None and format_name != "csv":
            _fail("--findings-csv goes with --format csv (other formats hold the findings)")
        skip_ids: set[str] = set()
        if resume:
            resumable = sorted(n for n, t in sinks.items() if t.existing_ids is not None)
            if output is None or folder_output:
                _fail("--resume needs --output FILE (the results to continue)")
            elif sinks[format_name].existing_ids is None:
                can = ", ".join(resumable)
                _fail(f"--resume: {format_name} output cannot be resumed ({can} can)")
            elif output.exists():
                existing = sinks[format_name].existing_ids
                assert existing is not None
                try:
                    skip_ids = existing(output)
                except (OSError, ValueError) as exc:
                    _fail(f"--resume: cannot read {output} ({exc})")
        if output is not None and not folder_output:
            clash = output_among_inputs(output, inputs, readers, input_format)
            if clash is not None:
                _fail(f"--output {output} is also an input ({clash}); it would be overwritten")
        executor = engine.make_executor(options=factory_options)
        if engine.plan.added_dependencies:
            added = ", ".join(engine.plan.added_dependencies)
            click.echo(f"copydesk: added required analyzers: {added}", err=True)
        if engine.plan.needs and executor is None:
            engine.load()  # fail on a missing model before reading any input
        elif engine.plan.needs:
            from copydesk.nlp import resolve_model

            resolve_model(engine.config.model)  # workers load it; fail here if it is missing
        if engine.model_note:
            click.echo(f"copydesk: warning: {engine.model_note}", err=True)
    except CopydeskError as exc:
        _fail(str(exc), exc.exit_code)
        return
    for record in engine.host.plugins:
        if record.status == "error":
            click.echo(f"copydesk: warning: plugin {record.name}: {record.error}", err=True)
    for name, error in engine.setup_errors.items():
        click.echo(f"copydesk: warning: {name} is not available: {error}", err=True)

    if folder_output:
        assert output is not None
        _analyze_into_folder(inputs, engine, output, executor, format_name, input_format)
        return
    from copydesk.progress import TerminalReporter, estimate_total

    sink_type = sinks[format_name]
    target = Output(output, sys.stdout, append=resume)
    extra: dict[str, Any] = {}
    if findings_csv is not None:
        extra["findings"] = Output(findings_csv, append=resume)
    try:
        sink = sink_type.factory(target, renderers=Renderers(engine.host.renderers()), **extra)
    except CopydeskError as exc:
        _fail(str(exc), exc.exit_code)
        return
    items = iter_documents(
        inputs, readers, input_format=input_format, max_chars=engine.config.max_chars
    )
    show_bar = not quiet and sys.stderr.isatty()
    reporter = TerminalReporter(
        quiet_failures=engine.setup_errors,
        total=estimate_total(inputs, readers, input_format) if show_bar else None,
        bar=show_bar,
    )
    if skip_ids:
        click.echo(f"copydesk: resuming: {len(skip_ids)} documents already in {output}", err=True)
    summary = run(
        items,
        engine,
        sink,
        executor,
        reporter=reporter,
        meta=run_meta(engine, inputs),
        skip_ids=skip_ids,
    )
    if summary.reader_left:  # e.g. `copydesk analyze ... | head`: not an error
        _silence_stdout()
        sys.exit(EXIT_OK)
    if summary.error:
        click.echo(f"copydesk: error: {summary.error}", err=True)
    sys.exit(summary.exit_code)


def _executor_options(pairs: Iterable[str], scheduler: str | None) -> dict[str, Any]:
    """``KEY=VALUE`` options for the executor's factory; values are JSON when they parse."""
    options: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        key = key.strip().replace("-", "_")
        if not sep or not key.isidentifier():
            raise click.BadParameter(
                f"expected KEY=VALUE, got {pair!r}", param_hint="--executor-option"
            )
        try:
            options[key] = json.loads(raw)
        except ValueError:
            options[key] = raw
    if scheduler is not None:
        options["scheduler"] = scheduler
    return options


def _analyze_into_folder(
    inputs: list[str],
    engine: Any,
    folder: Path,
    executor: Any,
    format_name: str,
    input_format: str,
) -> None:
    """``-o FOLDER/``: partitions written as shards by the executor's workers."""
    import time

    from copydesk.partitions import run_sharded
    from copydesk.progress import LineReporter

    shown = {"at": 0.0}
    tty = sys.stderr.isatty()

    def progress(done: int, total: int, summary: Any, words: int) -> None:
        now = time.monotonic()
        if done < total and now - shown["at"] < (1.0 if tty else 30.0):
            return
        shown["at"] = now
        rate = words / summary.seconds if summary.seconds else 0.0
        line = (
            f"copydesk: {done}/{total} partitions, {summary.documents:,} documents, "
            f"{rate:,.0f} words/s"
        )
        click.echo(f"\r{line}" if tty else line, err=True, nl=not tty)

    try:
        summary = run_sharded(
            inputs,
            engine,
            folder,
            executor,
            format=format_name,
            input_format=input_format,
            reporter=LineReporter(quiet_failures=engine.setup_errors),
            progress=progress,
        )
    except CopydeskError as exc:
        _fail(str(exc), exc.exit_code)
        return
    if tty:
        click.echo("", err=True)
    if summary.error:
        click.echo(f"copydesk: error: {summary.error}", err=True)
    click.echo(f"copydesk: {summary.line()}; shards in {folder}/", err=True)
    sys.exit(summary.exit_code)


@cli.command()
@click.option("--all", "show_all", is_flag=True, help="Include copydesk's built-in plugins.")
@click.option(
    "--format",
    "format_name",
    type=click.Choice(["json", "table"]),
    default="json",
    show_default=True,
)
@click.option("--requirements", is_flag=True, help="Print name==version lines to pin plugins.")
@click.option("--options", "show_options", is_flag=True, help="Include each analyzer's settings.")
@click.option("--hook", "hook_name", default=None, help="Only plugins implementing this hook.")
@click.pass_context
def plugins(
    ctx: click.Context,
    show_all: bool,
    format_name: str,
    requirements: bool,
    show_options: bool,
    hook_name: str | None,
) -> None:
    """List plugins: version, distribution, hooks, analyzers and load status."""
    from copydesk.analyzer import Contracts

    host = _host_from(ctx)
    entries = host.analyzers()
    payloads = Contracts.of([e.cls for e in entries.values()]).payloads
    host.readers()
    host.sinks()
    host.executors()
    host.renderers()
    records = [r for r in host.plugins if show_all or not r.builtin]
    if hook_name is not None:
        records = [r for r in records if hook_name in r.hooks]
    if requirements:
        seen = set()
        for record in records:
            if record.distribution and record.distribution not in seen:
                seen.add(record.distribution)
                click.echo(f"{record.distribution}=={record.version}")
        return
    rows = []
    for record in records:
        row = record.as_dict()
        details = []
        for name in record.analyzers:
            entry = entries.get(name)
            if entry is None or entry.plugin is not record:
                continue
            cls = entry.cls
            detail: dict[str, Any] = {
                "name": name,
                "version": cls.qualified_version(),
                "needs": sorted(c.value if hasattr(c, "value") else str(c) for c in cls.needs),
                "requires": _requires_names(cls, payloads),
                "description": cls.description,
            }
            if show_options:
                defaults = _settings_defaults(cls.Settings)
                detail["options"] = {
                    key: {"default": defaults.get(key), "description": field.description}
                    for key, field in cls.Settings.model_fields.items()
                }
            details.append(detail)
        row["analyzers"] = details
        rows.append(row)
    if format_name == "json":
        click.echo(json.dumps(rows, indent=2, default=str))
        return
    _print_table(rows, sys.stdout)


def _requires_names(cls: Any, payloads: Any) -> list[str]:
    """What an analyzer requires, as analyzer names (a model's provider), for listing."""
    from copydesk.analyzer import required_analyzers

    try:
        return list(required_analyzers(cls, payloads))
    except LookupError:  # a model nobody installed provides: show it by name
        return [r if isinstance(r, str) else r.__name__ for r in cls.requires]


def _settings_defaults(model: type[Any]) -> dict[str, Any]:
    """Default option values as JSON data (factories called); required options map to None."""
    from pydantic import ValidationError

    try:
        return dict(model().model_dump(mode="json"))
    except ValidationError:  # some option has no default
        return {
            key: None if field.is_required() else field.get_default(call_default_factory=True)
            for key, field in model.model_fields.items()
        }


def _print_table(rows: list[dict[str, Any]], out: IO[str]) -> None:
    headers = ("plugin", "distribution", "version", "status", "analyzers")
    table = [
        (
            r["name"],
            r["distribution"] or "-",
            r["version"] or "-",
            r["status"] + (f" ({r['error']})" if r["error"] else ""),
            ", ".join(a["name"] for a in r["analyzers"]) or "-",
        )
        for r in rows
    ]
    widths = [
        max(len(h), *(len(row[i]) for row in table)) if table else len(h)
        for i, h in enumerate(headers)
    ]
    out.write("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip() + "\n")
    for row in table:
        out.write("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() + "\n")


@cli.command()
def schema() -> None:
    """Print the JSON Schema of an analyzed document (the output contract)."""
    from copydesk.model import json_schema

    click.echo(json.dumps(json_schema(), indent=2))


@cli.command("new-plugin")
@click.argument("name")
@click.option(
    "--directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path(),
    show_default=True,
    help="Folder to create the plugin's folder in.",
)
def new_plugin(name: str, directory: Path) -> None:
    """Write a plugin distribution skeleton that passes its own tests.

    NAME like passive-voice gives copydesk-passive-voice/ with a pyproject.toml
    (entry point in the copydesk group), a package with an analyzer, its settings
    and the hookimpl, tests using copydesk.testing, and a README.
    """
    from copydesk.scaffold import write_plugin

    try:
        root = write_plugin(name, directory)
    except CopydeskError as exc:
        _fail(str(exc), exc.exit_code)
        return
    click.echo(f"Wrote {root}")
    click.echo(f"Next: pip install -e {root} && cd {root} && python -m pytest")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option(
    "--token",
    envvar="COPYDESK_TOKEN",
    default=None,
    help="Require 'Authorization: Bearer TOKEN' on every /v1 route (also COPYDESK_TOKEN).",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Threads that analyze (each loads its own pipeline).",
)
@click.option(
    "--queue",
    type=click.IntRange(min=1),
    default=16,
    show_default=True,
    help="Requests accepted at once; more get 503 with Retry-After.",
)
@click.option(
    "--max-body",
    "max_body_bytes",
    type=click.IntRange(min=1),
    default=10 * 1024 * 1024,
    show_default=True,
    help="Largest request body in bytes.",
)
@click.option(
    "--timeout",
    "request_timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=60.0,
    show_default=True,
    help="Seconds a request may take (else 504).",
)
@click.option("--model", default=None, help="spaCy pipeline (default: en_core_web_sm).")
@click.pass_context
def serve(
    ctx: click.Context,
    host: str,
    port: int,
    token: str | None,
    workers: int,
    queue: int,
    max_body_bytes: int,
    request_timeout: float,
    model: str | None,
) -> None:
    """Serve the analyzers over HTTP: POST /v1/analyze, GET /v1/analyzers, a page at /.

    Needs the serve extra (pip install 'copydesk[serve]'). Binds to 127.0.0.1
    unless --host says otherwise; give --token when you expose it.
    """
    try:
        from copydesk.service import ServiceSettings
        from copydesk.service import serve as run_service
    except ImportError as exc:
        _fail(f"copydesk serve needs the serve extra: pip install 'copydesk[serve]' ({exc})")
        return
    try:
        config = _load_config(ctx)
        if model is not None:
            config = config.model_copy(update={"model": model})
        if host not in ("127.0.0.1", "localhost", "::1") and not token:
            click.echo(
                f"copydesk: warning: serving on {host} without --token: "
                "anyone who can reach it can use it",
                err=True,
            )
        root = ctx.find_root().obj or {}
        settings = ServiceSettings(
            host=host,
            port=port,
            token=token,
            workers=workers,
            queue=queue,
            max_body_bytes=max_body_bytes,
            request_timeout=request_timeout,
        )
        run_service(settings, config, disable_autoload=root.get("disable_autoload"))
    except CopydeskError as exc:
        _fail(str(exc), exc.exit_code)


@cli.command()
@click.argument("results", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--by",
    "by",
    multiple=True,
    metavar="outlet|author|section|day|week|month|year|META_FIELD",
    help="Group by a meta field or a period of meta 'published' (repeat for a cross grouping).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="report.html (tables and charts), .json, .csv or .parquet; default: summary to stdout.",
)
@click.option("--top", default=10, show_default=True, help="Names kept per group in name tables.")
@click.option(
    "--memory-limit",
    default="700MB",
    show_default=True,
    help="DuckDB's memory before it spills to disk.",
)
@click.pass_context
def report(
    ctx: click.Context,
    results: tuple[Path, ...],
    by: tuple[str, ...],
    output: Path | None,
    top: int,
    memory_limit: str,
) -> None:
    """Sum up saved results across documents, by outlet, author, section or date.

    RESULTS are what `copydesk analyze` wrote: JSONL files, a Parquet output
    folder or a SQLite file; nothing is analyzed again. Each analyzer adds its
    numbers (register_aggregations); every metric gets mean and quartiles.
    Needs the report extra: pip install 'copydesk[report]'.
    """
    try:
        from copydesk.reporting import make_report
        from copydesk.reporting.engine import ReportError
        from copydesk.reporting.outputs import as_text, format_for, write

        if output is not None:
            format_for(output)
        host = _host_from(ctx)
        made = make_report(
            list(results), by=_split_names(by), host=host, top=top, memory_limit=memory_limit
        )
    except ModuleNotFoundError as exc:
        _fail(
            f"copydesk report needs the report extra ({exc.name} is missing): "
            "pip install 'copydesk[report]'"
        )
        return
    except (ReportError, ValueError, CopydeskError) as exc:
        _fail(str(exc))
        return
    if output is None:
        click.echo(as_text(made), nl=False)
        return
    for path in write(made, output):
        click.echo(f"copydesk: wrote {path}", err=True)
    for note in made.notes:
        click.echo(f"copydesk: note: {note}", err=True)


def main() -> None:
    """Console-script entry point.

    A plugin may leave a non-daemon thread running; once the command is done
    and its output flushed, the process ends anyway, with the command's code.
    """
    import os
    import threading

    try:
        cli(prog_name="copydesk")
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    stray = [t for t in threading.enumerate() if not t.daemon and t is not threading.main_thread()]
    if not stray:
        sys.exit(code)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)
