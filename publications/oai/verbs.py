"""The OAI-PMH 2.0 protocol: arguments, the six verbs, errors, the XML answer."""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from lxml import etree

from . import conf
from .dublin_core import dublin_core
from .records import (
    ProgrammeSets,
    Record,
    Selection,
    earliest_datestamp,
    record_get,
    records_after,
    records_count,
    type_sets,
)
from .tokens import BadToken, Resumption, token_make, token_read

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
METADATA_PREFIX = "oai_dc"
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
IDENTIFIER_RE = re.compile(
    r"oai:(?P<repository>[^:]+):publications/(?P<id>[1-9]\d{0,17})"
)
DAY_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
SECOND_RE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
# Characters XML 1.0 cannot carry at all.
XML_ILLEGAL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

LIST_ARGUMENTS = {"metadataPrefix", "from", "until", "set"}
VERBS: dict[str, tuple[set[str], set[str], bool]] = {
    # verb: (required, optional, whether a resumptionToken is accepted)
    "Identify": (set(), set(), False),
    "ListMetadataFormats": (set(), {"identifier"}, False),
    "ListSets": (set(), set(), True),
    "GetRecord": ({"identifier", "metadataPrefix"}, set(), False),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set"}, True),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set"}, True),
}


class OaiError(Exception):
    """One of the protocol's error conditions; `code` is its name."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Repository:
    """Where the answer comes from: its base URL and its identifier's domain."""

    base_url: str
    identifier_domain: str

    def identifier(self, page_id: int) -> str:
        return f"oai:{self.identifier_domain}:publications/{page_id}"

    def page_id(self, identifier: str) -> int:
        match = IDENTIFIER_RE.fullmatch(identifier)
        if match is None or match["repository"] != self.identifier_domain:
            raise OaiError(
                "idDoesNotExist", f"No record has the identifier {identifier}."
            )
        return int(match["id"])


def xml_text(value: str) -> str:
    return XML_ILLEGAL_RE.sub("", str(value))


def utc_stamp(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_moment(value: str, name: str) -> tuple[datetime.datetime, bool]:
    """(moment, whether it is a whole day) of a from/until argument."""
    try:
        if DAY_RE.fullmatch(value):
            day = datetime.date.fromisoformat(value)
            return datetime.datetime.combine(day, datetime.time(), datetime.UTC), True
        if SECOND_RE.fullmatch(value):
            moment = datetime.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ")
            return moment.replace(tzinfo=datetime.UTC), False
    except ValueError:
        pass
    raise OaiError(
        "badArgument",
        f"The argument {name} must be a UTC date (YYYY-MM-DD) or time "
        f"(YYYY-MM-DDThh:mm:ssZ), not {value!r}.",
    )


def selection_from(from_: str, until: str, set_spec: str) -> Selection:
    """The time range and set of a list request; datestamps are to the second,
    so `until` takes in its whole second (or day)."""
    start = end = None
    granularities = []
    if from_:
        start, whole_day = _parse_moment(from_, "from")
        granularities.append(whole_day)
    if until:
        moment, whole_day = _parse_moment(until, "until")
        granularities.append(whole_day)
        end = moment + (
            datetime.timedelta(days=1) if whole_day else datetime.timedelta(seconds=1)
        )
    if len(set(granularities)) > 1:
        raise OaiError("badArgument", "from and until must have the same granularity.")
    if start is not None and end is not None and start >= end:
        raise OaiError("badArgument", "from is later than until.")
    return Selection(start=start, end=end, set_spec=set_spec)


class Answer:
    """The <OAI-PMH> document being written."""

    def __init__(self, repository: Repository):
        self.repository = repository
        self.root = etree.Element(
            f"{{{OAI_NS}}}OAI-PMH", nsmap={None: OAI_NS, "xsi": XSI_NS}
        )
        self.root.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_NS} {OAI_SCHEMA}")
        self.sub(self.root, "responseDate", utc_stamp(timezone.now()))
        self.request = self.sub(self.root, "request", repository.base_url)

    @staticmethod
    def sub(parent, name: str, text: str | None = None, **attributes):
        element = etree.SubElement(parent, f"{{{OAI_NS}}}{name}")
        if text is not None:
            element.text = xml_text(text)
        for key, value in attributes.items():
            element.set(key, str(value))
        return element

    def to_bytes(self) -> bytes:
        return etree.tostring(
            self.root, xml_declaration=True, encoding="UTF-8", pretty_print=True
        )

    def header(self, parent, record: Record) -> None:
        header = self.sub(parent, "header")
        if record.deleted:
            header.set("status", "deleted")
        self.sub(header, "identifier", self.repository.identifier(record.page_id))
        self.sub(header, "datestamp", utc_stamp(record.datestamp))
        for spec in record.set_specs:
            self.sub(header, "setSpec", spec)

    def record(self, parent, record: Record) -> None:
        element = self.sub(parent, "record")
        self.header(element, record)
        if record.deleted:
            return
        metadata = self.sub(element, "metadata")
        dc = etree.SubElement(
            metadata,
            f"{{{OAI_DC_NS}}}dc",
            nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI_NS},
        )
        dc.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_DC_NS} {OAI_DC_SCHEMA}")
        for name, value, language in dublin_core(record):
            item = etree.SubElement(dc, f"{{{DC_NS}}}{name}")
            item.text = xml_text(value)
            if language:
                item.set(XML_LANG, language)


def _single_arguments(params) -> dict[str, str]:
    arguments = {}
    for key in params:
        values = params.getlist(key)
        if len(values) > 1:
            raise OaiError("badArgument", f"The argument {key} is repeated.")
        arguments[key] = values[0]
    return arguments


def _check_arguments(verb: str, arguments: dict[str, str]) -> None:
    required, optional, resumable = VERBS[verb]
    given = set(arguments) - {"verb"}
    if resumable and "resumptionToken" in given:
        if given != {"resumptionToken"}:
            raise OaiError("badArgument", "resumptionToken is an exclusive argument.")
        return
    unknown = given - required - optional
    if unknown:
        raise OaiError(
            "badArgument",
            f"{verb} does not take the argument(s) {', '.join(sorted(unknown))}.",
        )
    missing = required - given
    if missing:
        raise OaiError(
            "badArgument",
            f"{verb} needs the argument(s) {', '.join(sorted(missing))}.",
        )


def _check_prefix(prefix: str) -> None:
    if prefix != METADATA_PREFIX:
        raise OaiError(
            "cannotDisseminateFormat",
            f"The only metadata format here is {METADATA_PREFIX}, not {prefix!r}.",
        )


def identify(answer: Answer, arguments: dict[str, str]) -> None:
    element = answer.sub(answer.root, "Identify")
    answer.sub(element, "repositoryName", conf.repository_name())
    answer.sub(element, "baseURL", answer.repository.base_url)
    answer.sub(element, "protocolVersion", "2.0")
    answer.sub(element, "adminEmail", conf.admin_email())
    earliest = earliest_datestamp() or timezone.now()
    answer.sub(element, "earliestDatestamp", utc_stamp(earliest))
    answer.sub(element, "deletedRecord", "persistent")
    answer.sub(element, "granularity", GRANULARITY)


def list_metadata_formats(answer: Answer, arguments: dict[str, str]) -> None:
    if "identifier" in arguments:
        page_id = answer.repository.page_id(arguments["identifier"])
        if record_get(page_id, ProgrammeSets()) is None:
            raise OaiError(
                "idDoesNotExist",
                f"No record has the identifier {arguments['identifier']}.",
            )
    element = answer.sub(answer.root, "ListMetadataFormats")
    format_ = answer.sub(element, "metadataFormat")
    answer.sub(format_, "metadataPrefix", METADATA_PREFIX)
    answer.sub(format_, "schema", OAI_DC_SCHEMA)
    answer.sub(format_, "metadataNamespace", OAI_DC_NS)


def list_sets(answer: Answer, arguments: dict[str, str]) -> None:
    if "resumptionToken" in arguments:
        # Every set fits in one answer, so no token was ever given out.
        raise OaiError("badResumptionToken", "ListSets gives out no tokens.")
    element = answer.sub(answer.root, "ListSets")
    for spec, name in [*ProgrammeSets().listed(), *type_sets()]:
        item = answer.sub(element, "set")
        answer.sub(item, "setSpec", spec)
        answer.sub(item, "setName", name)


def get_record(answer: Answer, arguments: dict[str, str]) -> None:
    _check_prefix(arguments["metadataPrefix"])
    page_id = answer.repository.page_id(arguments["identifier"])
    record = record_get(page_id, ProgrammeSets())
    if record is None:
        raise OaiError(
            "idDoesNotExist", f"No record has the identifier {arguments['identifier']}."
        )
    element = answer.sub(answer.root, "GetRecord")
    answer.record(element, record)


def _list(answer: Answer, arguments: dict[str, str], *, verb: str) -> None:
    if "resumptionToken" in arguments:
        try:
            resumption = token_read(arguments["resumptionToken"])
            if resumption.verb != verb:
                raise BadToken("a token of another verb")
            _check_prefix(resumption.metadata_prefix)
            selection = selection_from(
                resumption.from_, resumption.until, resumption.set_spec
            )
        except (BadToken, OaiError) as error:
            raise OaiError(
                "badResumptionToken", "The resumption token is invalid."
            ) from error
        after_id, cursor = resumption.last_id, resumption.cursor
        size = resumption.complete_list_size
    else:
        _check_prefix(arguments["metadataPrefix"])
        selection = selection_from(
            arguments.get("from", ""),
            arguments.get("until", ""),
            arguments.get("set", ""),
        )
        resumption = Resumption(
            verb=verb,
            metadata_prefix=arguments["metadataPrefix"],
            from_=arguments.get("from", ""),
            until=arguments.get("until", ""),
            set_spec=arguments.get("set", ""),
            last_id=0,
            cursor=0,
            complete_list_size=0,
        )
        after_id = cursor = size = 0
    programme_sets = ProgrammeSets()
    records, more = records_after(
        selection=selection,
        programme_sets=programme_sets,
        after_id=after_id,
        limit=conf.page_size(),
        metadata=verb == "ListRecords",
    )
    if not records:
        raise OaiError("noRecordsMatch", "No record matches these arguments.")
    if not size:
        size = records_count(selection, programme_sets) if more else len(records)
    size = max(size, cursor + len(records) + (1 if more else 0))
    element = answer.sub(answer.root, verb)
    for record in records:
        if verb == "ListRecords":
            answer.record(element, record)
        else:
            answer.header(element, record)
    if more or cursor:
        token = ""
        if more:
            token = token_make(
                Resumption(
                    verb=verb,
                    metadata_prefix=resumption.metadata_prefix,
                    from_=resumption.from_,
                    until=resumption.until,
                    set_spec=resumption.set_spec,
                    last_id=records[-1].page_id,
                    cursor=cursor + len(records),
                    complete_list_size=size,
                )
            )
        answer.sub(
            element,
            "resumptionToken",
            token,
            completeListSize=size,
            cursor=cursor,
        )


def list_identifiers(answer: Answer, arguments: dict[str, str]) -> None:
    _list(answer, arguments, verb="ListIdentifiers")


def list_records(answer: Answer, arguments: dict[str, str]) -> None:
    _list(answer, arguments, verb="ListRecords")


HANDLERS: dict[str, Callable[[Answer, dict[str, str]], None]] = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "GetRecord": get_record,
    "ListIdentifiers": list_identifiers,
    "ListRecords": list_records,
}


def oai_answer(*, params, repository: Repository) -> bytes:
    """The whole XML answer to one request's arguments (a QueryDict)."""
    answer = Answer(repository)
    try:
        verbs = params.getlist("verb")
        if len(verbs) != 1 or verbs[0] not in VERBS:
            raise OaiError("badVerb", "The verb is missing, repeated or unknown.")
        verb = verbs[0]
        arguments = _single_arguments(params)
        _check_arguments(verb, arguments)
        # Only a request without badVerb or badArgument is echoed.
        for key, value in arguments.items():
            answer.request.set(key, xml_text(value))
        HANDLERS[verb](answer, arguments)
    except OaiError as error:
        if error.code in ("badVerb", "badArgument"):
            answer.request.attrib.clear()
        # A handler may have begun its element before failing.
        for child in list(answer.root)[2:]:
            answer.root.remove(child)
        answer.sub(answer.root, "error", error.message, code=error.code)
    return answer.to_bytes()
