"""Progress on standard error: a rich bar on a terminal, plain lines in logs, nothing with -q."""
from __future__ import annotations

import io

import pytest

from kg.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("stream", "quiet", "bar", "lines"), [
    (io.StringIO, False, False, True),
    (Terminal, False, True, True),
    (Terminal, True, False, False),
    (io.StringIO, True, False, False),
], ids=["log", "terminal", "terminal-quiet", "log-quiet"])
def test_bar_only_on_a_terminal_and_lines_unless_quiet(stream: type[io.StringIO], quiet: bool, bar: bool,
                                                        lines: bool) -> None:
    out = stream()
    with Progress("building", 2, quiet=quiet, stream=out) as progress:
        assert progress.interactive is bar
        progress.advance("[1/2] a.txt: 10 quads")
        progress.advance("[2/2] b.txt: 12 quads")
        progress.log("kg: error: c.txt: empty", always=True)
    text = out.getvalue()
    assert ("[2/2] b.txt: 12 quads" in text) is lines
    assert "kg: error: c.txt: empty" in text  # errors are never silenced
    assert progress.done == 2


def test_spinner_without_a_total_shows_the_stage() -> None:
    out = Terminal()
    with Progress("validating", stream=out) as progress:
        progress.stage("checking 10 triples against the SHACL shapes")
        assert progress._rich is not None
        assert progress._rich.tasks[0].description.startswith("checking 10 triples")


@pytest.mark.parametrize(("stream", "quiet", "lines"), [
    (io.StringIO, False, ["reading a.trig", "checking 10 triples"]),
    (io.StringIO, True, []),
    (Terminal, False, []),
], ids=["log", "log-quiet", "terminal"])
def test_stages_are_lines_in_a_log_when_done(stream: type[io.StringIO], quiet: bool, lines: list[str]) -> None:
    out = stream()
    with Progress("validating", quiet=quiet, stream=out) as progress:
        progress.stage("reading a.trig")
        assert "reading a.trig" not in out.getvalue()  # said when done, with its time
        progress.stage("checking 10 triples")
    shown = [line for line in out.getvalue().splitlines() if line.strip()]
    if stream is Terminal:
        assert all("reading a.trig (" not in line for line in shown)  # the spinner shows the stage instead
    else:
        assert [line.rsplit(" (", 1)[0] for line in shown] == lines
        assert all(line.endswith(" s)") for line in shown)
    assert progress.seconds >= 0


def test_a_stage_an_exception_stops_is_not_said_done() -> None:
    out = io.StringIO()
    with pytest.raises(ValueError), Progress("validating", stream=out) as progress:
        progress.stage("reading a.trig")
        progress.stage("checking 10 triples")
        raise ValueError("broken")
    assert [line.rsplit(" (", 1)[0] for line in out.getvalue().splitlines()] == ["reading a.trig"]
