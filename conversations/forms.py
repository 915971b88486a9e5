"""Conversations forms: metadata as rows of key and value, checked by the contract's rules
(at most 50 keys, keys non-empty, unique and at most 128 characters, values at most 128).

The rows come as repeated `key`/`value` fields, so a row can be added or removed by a plain
form post (no JavaScript needed); a refused form is shown again with every row as typed.
A row with neither key nor value is ignored (the blank row offered for a new key).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from symbl_admin.contract import MAX_METADATA_KEY, MAX_METADATA_KEYS, MAX_METADATA_VALUE


@dataclass
class Row:
    key: str
    value: str
    errors: list[str] = field(default_factory=list)


@dataclass
class MetadataForm:
    rows: list[Row]
    errors: list[str] = field(default_factory=list)  # about the whole form

    @classmethod
    def initial(cls, metadata) -> MetadataForm:
        return cls([Row(k, v) for k, v in metadata.items()] + [Row("", "")])

    @classmethod
    def from_post(cls, post) -> MetadataForm:
        keys, values = post.getlist("key"), post.getlist("value")
        values += [""] * (len(keys) - len(values))
        keys += [""] * (len(values) - len(keys))
        return cls([Row(k, v) for k, v in zip(keys, values, strict=True)])

    def add_row(self) -> None:
        self.rows.append(Row("", ""))

    def remove_row(self, index: int) -> None:
        if 0 <= index < len(self.rows):
            del self.rows[index]
        if not self.rows:
            self.add_row()

    @property
    def filled(self) -> list[Row]:
        return [row for row in self.rows if row.key.strip() or row.value]

    def is_valid(self) -> bool:
        seen: dict[str, int] = {}
        for row in self.filled:
            key = row.key.strip()
            if not key:
                row.errors.append("Give this value a key.")
            elif len(key) > MAX_METADATA_KEY:
                row.errors.append(
                    f"The key is {len(key)} characters; the most is {MAX_METADATA_KEY}."
                )
            elif key in seen:
                row.errors.append(f"The key “{key}” is already used above: keys must be unique.")
            seen.setdefault(key, 1)
            if len(row.value) > MAX_METADATA_VALUE:
                row.errors.append(
                    f"The value is {len(row.value)} characters; the most is {MAX_METADATA_VALUE}."
                )
        if len(self.filled) > MAX_METADATA_KEYS:
            self.errors.append(
                f"{len(self.filled)} keys: a conversation may have at most {MAX_METADATA_KEYS}."
            )
        return not self.errors and not any(row.errors for row in self.rows)

    @property
    def metadata(self) -> dict[str, str]:
        """The metadata the rows say (after is_valid())."""
        return {row.key.strip(): row.value for row in self.filled}

    @property
    def error_count(self) -> int:
        return len(self.errors) + sum(len(row.errors) for row in self.rows)
