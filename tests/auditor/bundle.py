# Part of the independent bundle verifier (see verify.py): written from docs/CHAIN.md,
# docs/EXPORT-FORMAT.md and docs/ARCHIVE.md alone. It must never read Relais's sources.
"""A whole bundle, folder or zip: EXPORT-FORMAT.md, « Verifying a bundle », steps 1 to 6 (and
what step 7 allows), for the scopes till, shop and archive."""
import hashlib
import json
import os
import re
import zipfile

from archive import check_archive
from chain import ChainAudit
from csv_tables import check_csv_tables
from shared import (HEX128, HEX64, MANIFEST_MEMBERS, MANIFEST_TILL_MEMBERS, TICKET_KINDS, ZERO_HASH,
                    Report, canonical_json, ed25519_verifies)
from totals import Totals, first_difference


def read_bundle_files(path, report):
    """(the bundle's folder name, {path inside the bundle: bytes}), from a folder or a zip."""
    files = {}
    if os.path.isdir(path):
        root = os.path.abspath(path)
        for folder, subfolders, names in os.walk(root):
            for name in names:
                full = os.path.join(folder, name)
                with open(full, "rb") as file:
                    files[os.path.relpath(full, root).replace(os.sep, "/")] = file.read()
            # A bundle is exactly its listed files: an empty folder is something added.
            for subfolder in subfolders:
                if not os.listdir(os.path.join(folder, subfolder)):
                    report.defect(os.path.relpath(os.path.join(folder, subfolder), root), "empty folder in the bundle")
        return os.path.basename(root.rstrip("/")), files
    archive = zipfile.ZipFile(path)
    entries = archive.infolist()
    names = [entry.filename for entry in entries]
    tops = {name.split("/")[0] for name in names}
    if len(tops) == 1 and all("/" in name for name in names):
        top = tops.pop()
        prefix = top + "/"
        if top + ".zip" != os.path.basename(path):
            report.defect(path, f"zip's folder {top} is not the zip's name")
        # The documented form of `--zip`: one folder, deflated entries, in path order.
        for entry in entries:
            if "\\" in entry.filename:
                report.defect(path, f"entry {entry.filename} uses a backslash")
            if not entry.is_dir() and entry.compress_type != zipfile.ZIP_DEFLATED:
                report.defect(path, f"entry {entry.filename} is not deflate-compressed")
        file_names = [entry.filename for entry in entries if not entry.is_dir()]
        if file_names != sorted(file_names):
            report.defect(path, "zip entries not in path order")
    else:
        top, prefix = os.path.basename(path)[:-4], ""
        report.note("zip root taken as the bundle (not one single folder)")
    for entry in entries:
        if entry.is_dir():
            continue
        files[entry.filename[len(prefix):]] = archive.read(entry)
    return top, files


def check_manifest_shape(manifest, raw, where, report):
    """Step 1: canonical, exactly the documented members, and what each member must be."""
    if raw != canonical_json(manifest) + b"\n":
        report.defect(where, "not one line of canonical JSON followed by a newline")
    want = set(MANIFEST_MEMBERS) | ({"archive"} if manifest.get("scope") == "archive" else set())
    if set(manifest) != want:
        report.defect(where, f"members {sorted(set(manifest) ^ want)} wrong (missing or extra)")
    if manifest.get("format") != "relais-bundle" or manifest.get("format_version") != 1:
        report.defect(where, "format is not relais-bundle 1")
    if manifest.get("scope") not in ("till", "shop", "held", "archive"):
        report.defect(where, f"scope {manifest.get('scope')}")
    if set(manifest.get("shop") or {}) != {"name", "address", "siret", "vat_number"}:
        report.defect(where, "shop members")
    if manifest.get("outage") is None:
        report.note(f"{where}: outage is null (the docs only describe an object)")
    elif set(manifest.get("outage")) != {"started_at", "reason", "ended_at"}:
        report.defect(where, "outage members")
    for till in manifest.get("tills", []):
        if set(till) != MANIFEST_TILL_MEMBERS:
            report.defect(where, f"till entry members {sorted(set(till) ^ MANIFEST_TILL_MEMBERS)}")
        if not HEX64.match(str(till.get("public_key"))) or not HEX64.match(str(till.get("head_hash"))) or \
                not HEX64.match(str(till.get("from_prev_hash"))):
            report.defect(where, f"till {till.get('till')}: keys/hashes not lowercase hex")
        if till.get("from_pos") == 1 and till.get("from_prev_hash") != ZERO_HASH:
            report.defect(where, f"till {till.get('till')}: from_pos 1 but from_prev_hash not zeros")
        if till.get("records") != till.get("to_pos", 0) - till.get("from_pos", 0) + 1:
            report.defect(where, f"till {till.get('till')}: records != to_pos − from_pos + 1")
    listed = manifest.get("files", [])
    if [f["path"] for f in listed] != sorted(f["path"] for f in listed):
        report.defect(where, "files not sorted by path")
    for kind, count in (manifest.get("counts") or {}).items():
        if count == 0:
            report.defect(where, f"counts.{kind} is 0 (kinds absent must be left out)")


def manifest_signature_verifies(manifest, key, where, report):
    """Step 2: Ed25519 over the canonical manifest without `signature`, lowercase hex only
    (an upper-cased digit decodes to the same bytes but is a change)."""
    signature = manifest.get("signature")
    if not isinstance(signature, dict):
        report.defect(where, "no signature")
        return False
    if signature.get("algorithm") != "ed25519" or signature.get("key") != key or \
            not HEX128.match(str(signature.get("value"))):
        report.defect(where, f"signature algorithm/key/value wrong (key {signature.get('key')} vs till key {key})")
        return False
    signed = dict(manifest)
    signed.pop("signature")
    if not ed25519_verifies(key, signature["value"], canonical_json(signed)):
        report.defect(where, "manifest signature does not verify")
        return False
    report.count("manifest signatures")
    return True


def check_folder_name(name, scope, tills, report):
    if scope == "till" and tills:
        till = tills[0]
        want = f"relais-{till['till']}-{till['from_pos']:06d}-{till['to_pos']:06d}"
        # An extract for a tax inspector (ARCHIVE.md §4) is a till bundle under another name.
        if name != want and not name.startswith("relais-controle-"):
            report.defect("folder", f"name {name}, expected {want}")
    elif scope == "shop":
        want = "relais-boutique-" + "-".join(sorted(t["till"] for t in tills))
        if name != want:
            report.defect("folder", f"name {name}, expected {want}")
        if [t["till"] for t in tills] != sorted(t["till"] for t in tills):
            report.defect("manifest.json", "tills not in till-code order")


def check_merged_sources(manifest, files, tills, report):
    """Step 2 for a shop bundle: signed by nobody, it stands on its sources, each till's signed
    manifest (or a till's signed attestation of the chains it holds, scope held)."""
    if manifest.get("signature") is not None:
        report.defect("manifest.json", "a merged bundle's signature must be null")
    covered = {}
    sources = manifest.get("sources", [])
    for index, source in enumerate(sources):
        path = source.get("path", "")
        if not re.match(r"^sources/[A-Z0-9]{1,8}-\d+-manifest\.json$", path) or int(path.split("-")[-2]) != index:
            report.defect("manifest.json", f"sources[{index}] path {path} not sources/TILL-{index}-manifest.json")
        raw = files.get(path)
        if raw is None:
            report.defect(path, "missing")
            continue
        if hashlib.sha256(raw).hexdigest() != source.get("sha256") or len(raw) != source.get("bytes"):
            report.defect(path, "altered (SHA-256 or size differs)")
            continue
        source_manifest = json.loads(raw)
        check_manifest_shape(source_manifest, raw, path, report)
        if source_manifest.get("scope") not in ("till", "held"):
            report.defect(path, f"source scope {source_manifest.get('scope')}")
        if path.split("/")[1].split("-")[0] != (source_manifest.get("tills") or [{}])[0].get("till"):
            report.defect(path, "file name's till is not the source's first till")
        manifest_signature_verifies(source_manifest, source_manifest["tills"][0]["public_key"],
                                    f"{path} signature", report)
        if source_manifest.get("scope") == "held":
            check_held_attestation(source_manifest, path, report)
        for source_till in source_manifest.get("tills", []):
            covered.setdefault(source_till["till"], []).append(source_till)
    # ASSUMPTION (the docs do not say how a merge derives them): shop and outage are a source's.
    source_manifests = [json.loads(files[s["path"]]) for s in sources if s.get("path") in files]
    if source_manifests and not any(s.get("shop") == manifest.get("shop") for s in source_manifests):
        report.defect("manifest.json", "shop is none of the sources' (assumed rule)")
    if source_manifests and not any(s.get("outage") == manifest.get("outage") for s in source_manifests):
        report.defect("manifest.json", "outage is none of the sources' (assumed rule)")
    for till in tills:
        matching = [s for s in covered.get(till["till"], []) if s["to_pos"] == till["to_pos"]
                    and s["head_hash"] == till["head_hash"] and s["public_key"] == till["public_key"]]
        if not matching:
            report.defect("manifest.json", f"till {till['till']}: to_pos/head_hash/key not those of any source")
        elif min(s["from_pos"] for s in covered[till["till"]]) != till["from_pos"]:
            report.defect("manifest.json", f"till {till['till']}: from_pos not the sources' first")


def check_listed_files(manifest, files, report):
    """Step 3: every listed file with its SHA-256 and size, and nothing else."""
    listed = {f["path"]: f for f in manifest.get("files", [])}
    for path, entry in listed.items():
        if path not in files:
            report.defect(path, "missing")
        elif hashlib.sha256(files[path]).hexdigest() != entry["sha256"] or len(files[path]) != entry["bytes"]:
            report.defect(path, "altered (SHA-256 or size differs)")
        else:
            report.count("files hashed")
    allowed = set(listed) | {"manifest.json"} | {s["path"] for s in manifest.get("sources", [])}
    for path in files:
        if path not in allowed:
            report.defect(path, "unlisted file")
    for needed in ("records.jsonl", "report.html"):
        if needed not in listed:
            report.defect("manifest.json", f"{needed} not listed")


def audit_records(data, tills, report):
    """Steps 4 and 5: each till's chain in records.jsonl; returns every line, in file order."""
    audits = {t["till"]: ChainAudit(t["till"], t["public_key"], t["from_pos"], t["from_prev_hash"],
                                    t["first_seq"], report) for t in tills}
    lines = []
    if data and not data.endswith(b"\n"):
        report.defect("records.jsonl", "does not end with a newline")
    raw_lines = data.split(b"\n")[:-1] if data.endswith(b"\n") else data.split(b"\n")
    for line_no, raw_line in enumerate(raw_lines, 1):
        try:
            line = json.loads(raw_line)
        except ValueError:
            report.defect(f"records.jsonl line {line_no}", "unreadable")
            continue
        if canonical_json(line) != raw_line:
            report.defect(f"records.jsonl line {line_no}", "not canonical")
        if set(line) != {"hash", "pos", "prev_hash", "record", "till"}:
            report.defect(f"records.jsonl line {line_no}", f"members {sorted(line)}")
            continue
        audit = audits.get(line["till"])
        if audit is None:
            report.defect(f"records.jsonl line {line_no}", f"till {line['till']} not in the manifest")
            continue
        audit.feed(line_no, line)
        lines.append(line)
    for till in tills:
        audits[till["till"]].check_end(till)
    return lines


def check_totals_and_counts(manifest, lines, report):
    """Step 6: the manifest's totals, counts and business days are the records'."""
    totals, counts, ticket_days = Totals(), {}, []
    for line in lines:
        record = line["record"]
        totals.add_record(record)
        counts[record["kind"]] = counts.get(record["kind"], 0) + 1
        if record["kind"] in TICKET_KINDS:
            ticket_days.append(record["business_day"])
    difference = first_difference(manifest.get("totals", {}), totals.as_object())
    if difference:
        report.defect("manifest.json", difference)
    else:
        report.count("manifest totals")
    if manifest.get("counts") != counts:
        report.defect("manifest.json", f"counts {manifest.get('counts')} but records give {counts}")
    first, last = (min(ticket_days), max(ticket_days)) if ticket_days else (None, None)
    if (manifest.get("first_business_day"), manifest.get("last_business_day")) != (first, last):
        report.defect("manifest.json", f"first/last_business_day {manifest.get('first_business_day')}/"
                                       f"{manifest.get('last_business_day')} but tickets give {first}/{last}")


def verify_bundle(path, pinned_keys=()):
    """Every defect of the bundle at `path` (a folder or a .zip), in a Report."""
    report = Report()
    name, files = read_bundle_files(path, report)
    if "manifest.json" not in files:
        report.defect("manifest.json", "missing")
        return report
    raw = files["manifest.json"]
    try:
        manifest = json.loads(raw)
    except ValueError as error:
        report.defect("manifest.json", f"does not parse: {error}")
        return report
    check_manifest_shape(manifest, raw, "manifest.json", report)
    scope = manifest.get("scope")
    tills = manifest.get("tills", [])
    # A bundle re-signed with a new key is consistent with itself: only a key obtained from
    # the till itself proves whose it is.
    for till in tills:
        if pinned_keys and till.get("public_key") not in pinned_keys:
            report.defect("manifest.json", f"till {till.get('till')} key {till.get('public_key')} is not a pinned key")
    check_folder_name(name, scope, tills, report)
    if scope == "archive":
        archive = manifest.get("archive") or {}
        want = f"relais-archive-{tills[0]['till']}-{archive.get('name')}"
        if name != want:
            report.defect("folder", f"name {name}, expected {want}")
    if scope in ("till", "archive"):
        if len(tills) != 1:
            report.defect("manifest.json", f"{scope} bundle with {len(tills)} tills")
        if manifest.get("sources") != []:
            report.defect("manifest.json", "sources not [] on a till bundle")
        manifest_signature_verifies(manifest, tills[0]["public_key"], "manifest.json signature", report)
    elif scope == "shop":
        check_merged_sources(manifest, files, tills, report)
    else:
        report.defect("manifest.json", f"scope {scope} cannot be verified as a bundle")
    check_listed_files(manifest, files, report)
    lines = audit_records(files.get("records.jsonl", b""), tills, report)
    check_totals_and_counts(manifest, lines, report)
    # A merge keeps identical records once: an id twice is two different records.
    seen_ids = set()
    for line in lines:
        if line["record"]["id"] in seen_ids:
            report.defect("records.jsonl", f"id {line['record']['id']} twice")
        seen_ids.add(line["record"]["id"])
    if scope == "archive":
        check_archive(manifest, files, lines, report)
    elif "closures.jsonl" in files:
        report.defect("closures.jsonl", "present in a bundle that is not an archive")
    check_csv_tables(files, lines, report)
    if scope == "shop":
        report.note("step 7 (re-merge byte for byte) cannot be reproduced from the docs: "
                    "report.html and CSV rendering are not fully specified; CSV rows checked instead")
    return report


def check_held_attestation(source_manifest, where, report):
    """A till's attestation of the chains it holds (scope held): it lists chains, no files."""
    if source_manifest.get("first_business_day") is not None or source_manifest.get("last_business_day") is not None:
        report.defect(where, "held: first/last_business_day not null")
    if source_manifest.get("counts") != {} or source_manifest.get("files") != [] or source_manifest.get("sources") != []:
        report.defect(where, "held: counts/files/sources not empty")
    zero = Totals().as_object()
    if source_manifest.get("totals") != zero:
        report.defect(where, f"held: totals not zero: {first_difference(source_manifest.get('totals', {}), zero)}")
    codes = [t["till"] for t in source_manifest["tills"]]
    # The attesting till comes first, then the tills it holds, in code order.
    if codes[1:] != sorted(codes[1:]):
        report.defect(where, "held: paired tills not in code order")
    if source_manifest.get("outage") is None:
        report.defect(where, "held: no outage")
