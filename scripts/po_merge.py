"""Git merge driver for the translation catalogues: a three-way merge of .po files by message.

Two branches that each add translations touch the same catalogue in nearby lines, and a line merge
then conflicts although no message does. This merges message by message: a message added on one
side is kept, a translation changed on one side only takes that change, and only a message whose
translation both sides changed differently is a conflict (ours is kept and the driver says so).

Set up once per clone (docs/CONTRIBUTING.md):
    git config merge.kezek-po.driver ".venv/bin/python scripts/po_merge.py %O %A %B"
    git config merge.kezek-mo.driver "true"
(`.gitattributes` names the drivers; a clone without them merges line by line as before); after
a merge, run `scripts/i18n.py` to bring the catalogues in step and compile them.
"""
from __future__ import annotations

import sys
from babel.messages.pofile import read_po, write_po


def _read(path: str):
    with open(path, "rb") as handle:
        return read_po(handle)


def merge(base_path: str, ours_path: str, theirs_path: str) -> int:
    """Write the merged catalogue over `ours_path`; return the number of real conflicts."""
    base, ours, theirs = _read(base_path), _read(ours_path), _read(theirs_path)
    conflicts = 0
    for message in theirs:
        if not message.id:
            continue
        key = message.id if not message.context else (message.id, message.context)
        mine = ours.get(message.id, message.context)
        old = base.get(message.id, message.context)
        if mine is None:
            if old is None:  # added on their side
                ours[message.id] = message
            continue  # removed on our side: stays removed
        if mine.string == message.string:
            continue
        if old is not None and mine.string == old.string:
            mine.string = message.string  # changed on their side only
            mine.flags = set(message.flags)
        elif old is None or message.string != old.string:
            if message.string and not mine.string:
                mine.string = message.string
            elif mine.string and message.string:
                conflicts += 1
                print(f"po_merge: both sides translate {key!r} differently; kept ours", file=sys.stderr)
    for message in list(ours):
        if message.id and base.get(message.id, message.context) is not None \
                and theirs.get(message.id, message.context) is None \
                and message.string == base.get(message.id, message.context).string:
            ours.delete(message.id, context=message.context)  # removed on their side only
    with open(ours_path, "wb") as handle:
        write_po(handle, ours, sort_output=True, include_previous=False)
    return conflicts


if __name__ == "__main__":
    # A non-zero exit tells git that the merge left a conflict to look at (ours was kept).
    sys.exit(1 if merge(*sys.argv[1:4]) else 0)
