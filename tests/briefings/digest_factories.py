"""Raw StreamField data for digest sections, as the editor or the inbox writes it."""

import json
import uuid


def item_raw(kind: str = "link", **fields) -> dict:
    value = {
        "title": fields.pop("title", "An article"),
        "source": fields.pop("source", ""),
        "date": fields.pop("date", None),
        "url": fields.pop("url", ""),
        "summary": fields.pop("summary", ""),
        "comment": fields.pop("comment", ""),
        **fields,
    }
    return {"type": kind, "value": value, "id": str(uuid.uuid4())}


def section_raw(heading: str = "News", items=(), **fields) -> dict:
    return {
        "type": "section",
        "value": {"heading": heading, "intro": "", "items": list(items), **fields},
        "id": str(uuid.uuid4()),
    }


def sections_json(*sections) -> str:
    return json.dumps(list(sections))


def many_items(count: int, *, base: str = "https://news.example/") -> list[dict]:
    return [
        item_raw(
            "link",
            title=f"Article number {number} on mining and arms",
            source=f"Source {number % 7}",
            date=f"2019-12-{1 + number % 28:02d}",
            url=f"{base}{number}",
            summary="Traders and officials met to discuss export figures. " * 3,
            comment="Worth reading for the figures." if number % 3 == 0 else "",
        )
        for number in range(count)
    ]
