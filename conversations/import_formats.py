"""Conversation import, the formats: each uploaded file read into Drafts (importing.py).

- JSON: the Async API's own request body (`name`, `messages`, `metadata`), one or a list
  (or {"conversations": [...]}, as our demo file and GET /v1/conversations write it).
- CSV: `conversation, speaker, text[, startTime]` lines, one conversation per distinct
  `conversation` value in file order; the separator detected as the tracker import does.
- TXT: one transcript per file, `Speaker: text` per line, named after the file.
- Metadata CSV (optional): `conversation, key, value` lines, for conversations of any format.
"""

from __future__ import annotations

from typing import Any

from resources import jsontext
from resources.importing import (
    SEPARATORS,
    ImportFormatError,
    csv_records,
    detect_separator,
)

from .importing import (
    MAX_FILES,
    MAX_IMPORT_BYTES,
    MAX_NAME,
    Draft,
    ImportRefused,
    Said,
    parse_time,
)

CSV_COLUMNS = ("conversation", "speaker", "text", "starttime")
METADATA_COLUMNS = ("conversation", "key", "value")


def _line_problems(where: str, text: str, speaker: str, start: str = "") -> list[str]:
    problems = []
    if not text.strip():
        problems.append(f"{where}: the text is empty.")
    if not speaker.strip():
        problems.append(f"{where}: no speaker.")
    elif len(speaker) > MAX_NAME:
        problems.append(f"{where}: the speaker is over {MAX_NAME} characters.")
    if start and parse_time(start) is None:
        problems.append(f"{where}: startTime “{start[:40]}” is not an ISO 8601 date-time.")
    return problems


# ---- JSON: the Async API's own shape


def parse_json(text: str, filename: str) -> list[Draft]:
    """Raises: ImportRefused (not JSON, or not conversation bodies)."""
    try:
        data = jsontext.parse(text)
    except jsontext.NotJSON as exc:
        raise ImportRefused(f"{filename} is not valid JSON ({exc.message}).") from None
    if isinstance(data, dict) and isinstance(data.get("conversations"), list):
        data = data["conversations"]
    items = data if isinstance(data, list) else [data]
    if not all(isinstance(item, dict) for item in items):
        raise ImportRefused(
            f"{filename} must hold a conversation body or a list of them: "
            '{"name": …, "messages": [{"payload": {"content": …}, "from": {"name": …}}]}.'
        )
    prefix = f"{filename}, " if filename else ""
    return [_json_draft(f"{prefix}item {n}", item) for n, item in enumerate(items, start=1)]


def _json_draft(where: str, item: dict) -> Draft:
    name = item.get("name")
    draft = Draft(where=where, name=name if isinstance(name, str) else "")
    if name is not None and not isinstance(name, str):
        draft.problems.append("“name” must be text.")
    metadata = item.get("metadata")
    if metadata is not None:
        draft.metadata = metadata if isinstance(metadata, dict) else {}
        if not isinstance(metadata, dict):
            draft.problems.append("“metadata” must be an object of keys to text values.")
    messages = item.get("messages")
    if not isinstance(messages, list):
        draft.problems.append("“messages” must be a list of messages.")
        return draft
    for n, message in enumerate(messages, start=1):
        draft.messages.append(_json_message(draft, f"message {n}", message))
    return draft


def _json_message(draft: Draft, where: str, message: Any) -> Said:
    message = message if isinstance(message, dict) else {}
    payload = message.get("payload") if isinstance(message.get("payload"), dict) else {}
    speaker = message.get("from") if isinstance(message.get("from"), dict) else {}
    duration = message.get("duration") if isinstance(message.get("duration"), dict) else {}
    text, name = payload.get("content"), speaker.get("name")
    text, name = (text if isinstance(text, str) else ""), (name if isinstance(name, str) else "")
    user_id = speaker.get("userId") if isinstance(speaker.get("userId"), str) else ""
    start, end = duration.get("startTime", ""), duration.get("endTime", "")
    draft.problems.extend(_line_problems(where, text, name))
    for key, value in (("startTime", start), ("endTime", end)):
        if value and parse_time(value) is None:
            draft.problems.append(
                f"{where}: {key} “{str(value)[:40]}” is not an ISO 8601 date-time."
            )
    begins, ends = parse_time(start), parse_time(end)
    if begins and ends and ends < begins:
        draft.problems.append(f"{where}: it ends before it starts.")
    return Said(text, name, user_id, str(start or ""), str(end or ""))


# ---- CSV: conversation, speaker, text[, startTime]


def _separator(text: str, first_column: str) -> str:
    """The separator that splits a header starting with `first_column`, else the tracker
    import's detection (resources.importing.detect_separator)."""
    head = text.lstrip("\ufeff").lstrip().split("\n", 1)[0]
    for candidate in SEPARATORS:
        cells = [c.strip().strip('"').casefold() for c in head.split(candidate)]
        if len(cells) >= 2 and cells[0] == first_column:
            return candidate
    return detect_separator(text)


def _records(text: str, columns: tuple[str, ...], filename: str):
    """(records, line number of the first record, column positions) with a header, if any."""
    try:
        records = csv_records(text, _separator(text, columns[0]))
    except ImportFormatError as exc:
        raise ImportRefused(f"{filename}: {exc}") from None
    header = [cell.strip().casefold().replace(" ", "") for cell in records[0]]
    if header[0] == columns[0]:
        where = {name: header.index(name) for name in columns if name in header}
        return records[1:], 2, where
    return records, 1, {name: i for i, name in enumerate(columns)}


def parse_csv(text: str, filename: str) -> list[Draft]:
    """Raises: ImportRefused (unreadable CSV)."""
    records, first, where = _records(text, CSV_COLUMNS, filename)
    if "text" not in where:
        raise ImportRefused(f"{filename} needs the columns conversation, speaker, text.")
    drafts: dict[str, Draft] = {}
    lines: dict[str, list[int]] = {}
    for number, record in enumerate(records, start=first):

        def cell(name: str, record=record) -> str:
            i = where.get(name)
            return record[i].strip() if i is not None and i < len(record) else ""

        name, start = cell("conversation"), cell("starttime")
        draft = drafts.setdefault(name, Draft(where="", name=name))
        lines.setdefault(name, []).append(number)
        draft.problems.extend(
            _line_problems(f"line {number}", cell("text"), cell("speaker"), start)
        )
        draft.messages.append(Said(cell("text"), cell("speaker"), start=start, end=start))
    for name, draft in drafts.items():
        numbers = lines[name]
        span = f"line {numbers[0]}" if len(numbers) == 1 else f"lines {numbers[0]}–{numbers[-1]}"
        draft.where = f"{filename} {span}"
    return list(drafts.values())


# ---- TXT: Speaker: text


def parse_txt(text: str, filename: str) -> Draft:
    name = filename.rsplit("/", 1)[-1]
    name = name[: -len(".txt")] if name.casefold().endswith(".txt") else name
    draft = Draft(where=filename, name=name)
    for number, line in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        if not line.strip():
            continue
        speaker, colon, said = line.partition(":")
        if not colon or not speaker.strip() or len(speaker) > 80:
            draft.problems.append(f"line {number}: no speaker (write “Name: text”).")
            continue
        draft.problems.extend(_line_problems(f"line {number}", said.strip(), speaker.strip()))
        draft.messages.append(Said(said.strip(), speaker.strip()))
    return draft


# ---- metadata CSV: conversation, key, value


def parse_metadata_csv(text: str, filename: str) -> tuple[dict[str, dict[str, str]], list[str]]:
    """({conversation name: {key: value}}, problems naming their lines).

    Raises: ImportRefused (unreadable CSV)."""
    records, first, where = _records(text, METADATA_COLUMNS, filename)
    found: dict[str, dict[str, str]] = {}
    problems = []
    for number, record in enumerate(records, start=first):
        cells = [
            record[where[c]].strip() if where.get(c, 99) < len(record) else ""
            for c in METADATA_COLUMNS
        ]
        name, key, value = cells
        if not name or not key:
            problems.append(f"{filename} line {number}: a conversation and a key are needed.")
            continue
        found.setdefault(name, {})[key] = value
    return found, problems


# ---- an upload: several files, and the optional metadata CSV


def _decode(raw: bytes, filename: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(
            f"{filename} is not UTF-8 text. Save it as UTF-8 and try again."
        ) from None


def read_upload(
    files: list[tuple[str, bytes]], metadata_file: tuple[str, bytes] | None = None
) -> tuple[list[Draft], list[str]]:
    """The drafts of every uploaded file in upload order, with the metadata CSV's values
    merged in (over a JSON file's own), and the notes on the metadata CSV's lines.

    Raises: ImportRefused (too much, a file of no known kind, unreadable)."""
    every = [*files, *([metadata_file] if metadata_file else [])]
    size = sum(len(raw) for _, raw in every)
    if size > MAX_IMPORT_BYTES:
        raise ImportRefused(
            f"These files are {size / 1_048_576:.1f} MB together; one import takes at most "
            f"{MAX_IMPORT_BYTES // 1_048_576} MB. Split them into several imports."
        )
    if len(files) > MAX_FILES:
        raise ImportRefused(f"{len(files):,} files: one import takes at most {MAX_FILES:,}.")
    drafts: list[Draft] = []
    for filename, raw in files:
        text, kind = _decode(raw, filename), filename.casefold().rsplit(".", 1)[-1]
        if kind == "json" or (kind != "csv" and kind != "txt" and text.lstrip()[:1] in "[{"):
            drafts.extend(parse_json(text, filename))
        elif kind == "csv":
            drafts.extend(parse_csv(text, filename))
        elif kind == "txt":
            drafts.append(parse_txt(text, filename))
        else:
            raise ImportRefused(f"{filename}: only .json, .csv and .txt files can be imported.")
    notes: list[str] = []
    if metadata_file:
        by_name, notes = parse_metadata_csv(
            _decode(metadata_file[1], metadata_file[0]), metadata_file[0]
        )
        names = {d.name for d in drafts}
        for draft in drafts:
            draft.metadata = {**draft.metadata, **by_name.get(draft.name, {})}
        notes += [
            f"{metadata_file[0]}: no conversation named “{name}” in this import."
            for name in by_name
            if name not in names
        ]
    return drafts, notes
