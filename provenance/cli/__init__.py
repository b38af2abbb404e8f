"""The ``provenance`` command line. One module per command; registered here."""

from __future__ import annotations

import click

from .. import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="provenance")
def main() -> None:
    """Text-provenance forensics: who derives from whom, with evidence."""


def _register() -> None:
    from .compare import compare
    from .trace import trace
    from .artifacts import artifacts

    for command in (trace, compare, artifacts):
        main.add_command(command)
    from .dedup import register; register(main)  # noqa: E702  (dedup + index commands)


_register()
