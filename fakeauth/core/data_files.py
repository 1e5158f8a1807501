"""Reading the YAML files fakeauth loads (users, catalogue): regular files, bounded."""

from __future__ import annotations

import stat
from pathlib import Path

# The most any data file may be: 100,000 users take about 13 MiB.
MAX_FILE_BYTES = 64 * 1024 * 1024


class UnreadableFile(ValueError):
    """A data file that cannot be read; the message says why, without the path."""


def read_data_file(
    file: Path, kind: str = "data file", advice: str = "", limit: int = MAX_FILE_BYTES
) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, else UnreadableFile saying
    why (``kind`` names the file in it, ``advice`` says what to do about its size)."""
    try:
        # Checked first: opening a FIFO would wait for a writer forever.
        if not stat.S_ISREG(file.stat().st_mode):
            raise UnreadableFile("not a regular file; give the path of a YAML file")
        with file.open("rb") as stream:
            data = stream.read(limit + 1)
    except OSError as error:
        raise UnreadableFile(f"cannot read: {error.strerror}") from None
    if len(data) > limit:
        problem = f"larger than {limit >> 20} MiB, the most a {kind} may be"
        raise UnreadableFile(f"{problem}; {advice}" if advice else problem)
    return data
