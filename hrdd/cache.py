"""A cache of the validated questionnaires, so a start does not parse and validate every YAML file.

Each entry is one file in :func:`hrdd.paths.cache_dir` (``HRDD_CACHE_DIR``), stored under a
key that is a digest of everything the value is made from: the bytes (and names) of every
input file, the source of hrdd's core modules, hrdd's version, and the versions of Python
and of the libraries that read the files (pydantic, PyYAML, Babel). Any change gives another
key and the entry is rebuilt, so it is never stale; an entry is only stored when its inputs
did not change while it was built.

Anything wrong with the cache only costs time: a missing, truncated, corrupt or unreadable
entry is rebuilt, and a cache folder that cannot be written means no cache. Two hrdd
processes may start at once: each writes a temporary file in the cache folder and renames
it over the entry (an atomic replace), so a reader sees a whole entry or none.

Entries are pickles. Unpickling runs code named in the file, so a pickle is only ever read
from hrdd's own cache folder, which only hrdd (as this user) writes; files that come from
elsewhere (questionnaires, packs, exports) are never unpickled.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from functools import cache
from pathlib import Path
from typing import Any

from . import __version__
from .paths import atomic_path, cache_dir

FORMAT = b"hrdd-cache 1"
"""First bytes of every entry; bumped when the layout of an entry changes."""

MISS: Any = object()
"""What :func:`load` returns when there is no usable entry."""


def _chunk(hasher: Any, data: bytes) -> None:
    """Length-prefixed, so that no two sequences of parts give the same digest."""
    hasher.update(len(data).to_bytes(8, "little"))
    hasher.update(data)


@cache
def code_digest() -> bytes:
    """hrdd's version, Python's and the readers' versions, and the source of hrdd's core modules
    (which define what a validated questionnaire is): a development checkout that changes a
    model rebuilds the cache without a version bump."""
    import babel
    import pydantic
    import yaml

    hasher = hashlib.blake2b(digest_size=32)
    for part in (__version__, sys.version, pydantic.VERSION, yaml.__version__, babel.__version__):
        _chunk(hasher, str(part).encode())
    package = Path(__file__).parent
    for path in sorted(package.glob("*.py")):
        _chunk(hasher, path.name.encode())
        try:
            _chunk(hasher, path.read_bytes())
        except OSError:
            _chunk(hasher, b"?")
    return hasher.digest()


def tree_digest(root: Path, hasher: Any | None = None) -> Any:
    """Add the name, kind and content of everything under ``root`` to ``hasher`` (links are not
    followed: a link adds its target's name). Unreadable entries add a marker, so a file that
    cannot be read now and can be later gives another digest."""
    hasher = hasher or hashlib.blake2b(digest_size=32)
    try:
        walk = sorted(os.walk(root, followlinks=False))
    except OSError:
        walk = []
    if not walk:
        _chunk(hasher, b"(no folder)")
    for folder, dirs, files in walk:
        rel = os.path.relpath(folder, root).encode("utf-8", "surrogateescape")
        for name in sorted(dirs + files):
            path = os.path.join(folder, name)
            _chunk(hasher, rel + b"/" + name.encode("utf-8", "surrogateescape"))
            try:
                if os.path.islink(path):
                    _chunk(hasher, b"link:" + os.readlink(path).encode("utf-8", "surrogateescape"))
                elif name in files:
                    with open(path, "rb") as fh:
                        _chunk(hasher, fh.read())
                else:
                    _chunk(hasher, b"dir")
            except OSError:
                _chunk(hasher, b"(unreadable)")
    return hasher


def key(kind: str, *roots: Path, extra: bytes = b"") -> str:
    """The cache key of ``kind`` built from the files under ``roots`` (and ``extra``)."""
    hasher = hashlib.blake2b(digest_size=32)
    _chunk(hasher, kind.encode())
    _chunk(hasher, code_digest())
    _chunk(hasher, extra)
    for root in roots:
        tree_digest(root, hasher)
    return hasher.hexdigest()


def digest(kind: str, *parts: bytes) -> str:
    """A cache key made of ``parts`` (with hrdd's and Python's versions), for entries that need
    neither the core's source nor the readers' versions in their key (a compiled catalogue)."""
    hasher = hashlib.blake2b(digest_size=32)
    for part in (kind.encode(), __version__.encode(), sys.version.encode(), *parts):
        _chunk(hasher, part)
    return hasher.hexdigest()


def _entry(kind: str) -> Path:
    return cache_dir() / f"{kind}.pickle"


def _header(entry_key: str) -> bytes:
    return FORMAT + b" " + entry_key.encode("ascii") + b"\n"


def load(kind: str, entry_key: str) -> Any:
    """The value stored for ``kind`` under ``entry_key``, or :data:`MISS`."""
    try:
        with _entry(kind).open("rb") as fh:
            if fh.readline(200) != _header(entry_key):
                return MISS  # another key: built from other files, or by another hrdd
            return pickle.load(fh)  # noqa: S301 — our own cache folder only (see the module's docstring)
    except Exception:  # noqa: BLE001 — missing, unreadable, truncated or corrupt: rebuilt by the caller
        return MISS


def store(kind: str, entry_key: str, value: Any) -> bool:
    """Keep ``value`` for ``kind`` under ``entry_key``; False when it cannot be (no cache then)."""
    try:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        with atomic_path(_entry(kind)) as temp, temp.open("wb") as fh:
            fh.write(_header(entry_key))
            fh.write(data)
        return True
    except Exception:  # noqa: BLE001 — a read-only or full disk, a value that does not pickle: no cache
        return False
