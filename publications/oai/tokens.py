"""Resumption tokens: signed, stateless, carrying where the list stopped.

A token holds the original request's arguments, the id of the last record
sent, how many were sent before the next page (the cursor) and the size of
the whole list as it was counted on the first page. Records are listed in
the order of their ids, which never change: a record that changes while a
harvest runs keeps its place, so it is neither skipped nor sent twice.
"""

from dataclasses import asdict, dataclass

from django.core import signing

SALT = "publications.oai.resumption"


class BadToken(ValueError):
    """A token that was not made here, was altered or does not parse."""


@dataclass(frozen=True)
class Resumption:
    verb: str
    metadata_prefix: str
    from_: str  # the arguments exactly as the harvester gave them ("" if absent)
    until: str
    set_spec: str
    last_id: int
    cursor: int
    complete_list_size: int


def token_make(resumption: Resumption) -> str:
    return signing.dumps(asdict(resumption), salt=SALT, compress=True)


def token_read(token: str) -> Resumption:
    try:
        data = signing.loads(token, salt=SALT)
        resumption = Resumption(**data)
    except (signing.BadSignature, TypeError, ValueError) as error:
        raise BadToken(str(error)) from error
    if not (
        isinstance(resumption.last_id, int)
        and isinstance(resumption.cursor, int)
        and isinstance(resumption.complete_list_size, int)
    ):
        raise BadToken("malformed token")
    return resumption
