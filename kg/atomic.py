"""Output files written whole or not at all.

A command writes a temporary file beside its output, ``.NAME.PID.RANDOM.kgtmp``, and renames it
over ``NAME`` once it is complete, so a failed or interrupted command leaves an existing output
as it was. The temporary file is made before any work starts: a folder that cannot be written is
an :class:`~kg.errors.InputError` at once, not after the whole extraction. Whatever stops the
write (an error, Ctrl-C, SIGTERM, which the CLI turns into ``KeyboardInterrupt``) removes it;
its name is known before the file exists, so no moment is left in which it could stay behind.

A run that was killed outright (SIGKILL, a power cut) cannot clean up: the next command writing
the same output removes such leftovers (:func:`remove_stale`): files of exactly that name pattern,
beside the output, last written before the new command started, whose process is no longer
running on this machine.
"""
from __future__ import annotations

import contextlib
import os
import re
import secrets
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from kg.errors import InputError

#: The end of every temporary output file's name.
TEMP_SUFFIX = ".kgtmp"


def temp_name(path: Path) -> Path:
    """A new temporary name beside ``path``: ``.NAME.PID.RANDOM.kgtmp``."""
    return path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}{TEMP_SUFFIX}")


def _pattern(path: Path) -> re.Pattern[str]:
    return re.compile(rf"\.{re.escape(path.name)}\.([0-9]+)\.[0-9a-f]{{8}}{re.escape(TEMP_SUFFIX)}")


def remove_stale(path: Path, before: float) -> list[Path]:
    """Remove the temporary files of ``path`` that earlier runs left: named by :func:`temp_name`
    for this very output, last modified before ``before`` (a time), and of a process that is not
    running (or of this one, which has made none yet). Returns what was removed."""
    pattern = _pattern(path)
    removed = []
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return []  # the temporary file cannot be made either: that error is the one to report
    for entry in entries:
        found = pattern.fullmatch(entry.name)
        if found is None:
            continue
        try:
            if not entry.is_file(follow_symlinks=False) or entry.stat(follow_symlinks=False).st_mtime >= before:
                continue
            if int(found.group(1)) != os.getpid() and _running(int(found.group(1))):
                continue
            os.unlink(entry.path)
        except OSError:
            continue  # gone meanwhile, or not ours to remove
        removed.append(Path(entry.path))
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True  # someone else's process, or not a process id at all: left alone
    return True


@contextlib.contextmanager
def atomic_output(output: str | Path | None) -> Iterator[BinaryIO]:
    """A binary stream for a command's output: standard output when ``output`` is empty, else a
    temporary file beside it that replaces it only when the block ends without an exception.

    Raises :class:`InputError` (one line) when the output is a folder, or its folder cannot be
    made or written, before the block runs; and when a write fails (a full disk)."""
    if not output:
        yield sys.stdout.buffer
        sys.stdout.flush()
        return
    path = Path(output)
    started = time.time()
    tmp: Path | None = None
    try:
        try:
            if path.is_dir():
                raise InputError(f"{path}: is a directory")
            path.parent.mkdir(parents=True, exist_ok=True)
            remove_stale(path, started)
            while True:
                tmp = temp_name(path)  # named before it exists: an interruption from here on removes it
                try:
                    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
                    break
                except FileExistsError:
                    continue
        except OSError as exc:
            raise InputError(f"{path}: cannot write ({exc.strerror or exc})") from None
        with os.fdopen(fd, "wb", buffering=1 << 20) as handle:
            yield handle
        publish(tmp, path)
    except OSError as exc:  # a full disk, an I/O error: the user's to fix, nothing half-written stays
        raise InputError(f"{path}: cannot write ({exc.strerror or exc})") from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)  # gone already when it was published


def publish(tmp: str | Path, path: Path) -> None:
    """Give the temporary file the usual permissions (as the umask allows) and move it to ``path``."""
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except OSError as exc:
        raise InputError(f"{path}: cannot write ({exc.strerror})") from None


def write_atomic(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file: a failure leaves no half file."""
    with atomic_output(path) as handle:
        handle.write(data)


__all__ = ["TEMP_SUFFIX", "atomic_output", "publish", "remove_stale", "temp_name", "write_atomic"]
