"""The ``provenance`` command line. One module per command; registered here."""

from __future__ import annotations

import click

from .. import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="provenance")
def main() -> None:
    """Text-provenance forensics: who derives from whom, with evidence."""


def _register() -> None:
    from .trace import trace

    for command in (trace,):
        main.add_command(command)
    main.add_command(__import__(f"{__package__}.pan_align", fromlist=["pan_align"]).pan_align)


_register()
