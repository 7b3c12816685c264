#!/usr/bin/env python3
# An independent verifier of Relais bundles, written by an outside auditor from the documents
# alone: docs/CHAIN.md, docs/EXPORT-FORMAT.md and docs/ARCHIVE.md. It must never read Relais's
# sources (nor be fixed by reading them): it exists to prove that those documents are a
# contract a third party can check a bundle against. When it disagrees with `relais verify`,
# either the documents or the program is wrong; fix the one that is, never this verifier by
# copying the program. tests/auditor.rs runs it on every `cargo xtask test`.
"""Independent verifier of Relais bundles.

Usage: verify.py BUNDLE_DIR_OR_ZIP... [--public-key HEX]... [-v]

Prints one line per bundle: `ok PATH: what was checked`, or `DEFECT PATH: n defect(s)` and
every defect (the first 25 without -v). -v also prints notes on what the documents left
unchecked. Exit status: 0 when every bundle verifies, 1 when any has a defect, 2 on a usage
error. Needs Python 3.9+ and the `cryptography` package (Ed25519)."""
import sys

from bundle import verify_bundle
from shared import Report

USAGE = "usage: verify.py BUNDLE_DIR_OR_ZIP... [--public-key HEX]... [-v]"


def main():
    args = sys.argv[1:]
    pinned_keys, verbose, paths = [], False, []
    while args:
        arg = args.pop(0)
        if arg == "--public-key":
            if not args:
                print(USAGE, file=sys.stderr)
                return 2
            pinned_keys.append(args.pop(0).lower())
        elif arg == "-v":
            verbose = True
        else:
            paths.append(arg)
    # No bundle checked must not read as « every bundle verifies ».
    if not paths:
        print(USAGE, file=sys.stderr)
        return 2
    status = 0
    for path in paths:
        try:
            report = verify_bundle(path, pinned_keys)
        except Exception as error:  # a malformed bundle is a defect, never a crash
            report = Report()
            report.defect(path, f"unreadable ({type(error).__name__}: {error})")
        if report.defects:
            status = 1
            print(f"DEFECT {path}: {len(report.defects)} defect(s)")
            for defect in report.defects[: (None if verbose else 25)]:
                print("  -", defect)
        else:
            print(f"ok {path}: " + ", ".join(f"{what} {n}" for what, n in report.checked.items()))
        if verbose:
            for note in report.notes:
                print("  note:", note)
    return status


if __name__ == "__main__":
    sys.exit(main())
