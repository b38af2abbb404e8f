"""The ``provenance`` command line. One module per command; registered here."""

from __future__ import annotations

import click

from .. import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="provenance")
def main() -> None:
    """Text-provenance forensics: who derives from whom, with evidence."""


def _register() -> None:
    from .artifacts import artifacts
    from .compare import compare
    from .dedup import register as register_dedup
    from .pan_align import pan_align
    from .trace import trace

    for command in (trace, compare, artifacts, pan_align):
        main.add_command(command)
    register_dedup(main)  # dedup and index commands


_register()
