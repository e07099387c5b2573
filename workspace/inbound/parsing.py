"""Reading an incoming email: is it well formed, is it automatic, what new text and which
files does it carry. Nothing here touches the database."""

from __future__ import annotations

import hashlib
import io
import re
from email import policy
from email.errors import (
    CloseBoundaryNotFoundDefect,
    InvalidMultipartContentTransferEncodingDefect,
    MessageDefect,
    MissingHeaderBodySeparatorDefect,
    MultipartInvariantViolationDefect,
    NoBoundaryInMultipartDefect,
    StartBoundaryNotFoundDefect,
)
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr

import html2text
from mailparser_reply.parser import EmailMessage as ParsedReply
from werkzeug.datastructures import FileStorage

# Defects that mean the MIME structure cannot be trusted: we would keep the wrong text.
FATAL_DEFECTS: tuple[type[MessageDefect], ...] = (
    CloseBoundaryNotFoundDefect, InvalidMultipartContentTransferEncodingDefect,
    MissingHeaderBodySeparatorDefect, MultipartInvariantViolationDefect,
    NoBoundaryInMultipartDefect, StartBoundaryNotFoundDefect,
)
REPLY_LANGUAGES = ["en", "fr"]
SUBJECT_PREFIX = re.compile(r"^\s*(?:(?:re|fwd?|tr|aw|wg|réf|ref)\s*(?:\[\d+\])?\s*:\s*)+",
                            re.IGNORECASE)
# Mobile clients' one-line signatures, which the reply parser keeps.
SENT_FROM = re.compile(
    r"^\s*(?:Sent from my .*|Get Outlook for .*|Envoyé de mon .*|Envoyé depuis .*|"
    r"Obtenir Outlook pour .*)\s*$", re.IGNORECASE | re.MULTILINE)
# Labels Latin-1 is sent under while the bytes are Windows-1252 (curly quotes, euro sign).
WINDOWS_1252_ALIASES = {"iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii"}


class Malformed(Exception):
    """The email cannot be read reliably; nothing is kept."""


def parse(raw: bytes) -> EmailMessage:
    """Parse an email, refusing what a careful reader could not trust."""
    head, _, _ = raw.partition(b"\r\n\r\n") if b"\r\n\r\n" in raw else raw.partition(b"\n\n")
    try:
        head.decode("utf-8")  # raw UTF-8 headers are allowed (RFC 6532); other 8-bit is not
    except UnicodeDecodeError:
        raise Malformed("a header has 8-bit characters without an encoding") from None
    message = BytesParser(policy=policy.default).parsebytes(raw)
    for part in message.walk():
        if any(isinstance(defect, FATAL_DEFECTS) for defect in part.defects):
            raise Malformed("the MIME structure is broken")
    if not parseaddr(str(message.get("From", "")))[1]:
        raise Malformed("the email has no From address")
    return message  # type: ignore[return-value]


def is_automatic(message: EmailMessage, envelope_sender: str | None) -> bool:
    """Auto-replies, bounces, lists and our own emails: answering them would start a loop."""
    from workspace.mail.operations import OWN_HEADER

    if message.get(OWN_HEADER) is not None:
        return True
    if str(message.get("Auto-Submitted", "no")).strip().lower() != "no":
        return True
    if str(message.get("Precedence", "")).strip().lower() in {"bulk", "junk", "list"}:
        return True
    return_path = envelope_sender if envelope_sender is not None else message.get("Return-Path")
    if return_path is not None and str(return_path).strip() in {"", "<>"}:
        return True
    return message.get_content_type() == "multipart/report" or any(
        part.get_content_type() == "message/delivery-status" for part in message.walk())


def from_address(message: EmailMessage) -> str:
    return parseaddr(str(message.get("From", "")))[1].strip().lower()


def addressed_to(message: EmailMessage) -> list[str]:
    """Where the email was delivered, from the headers the mail server adds, then To/Cc."""
    values = [str(value) for name in ("Delivered-To", "X-Original-To", "To", "Cc")
              for value in message.get_all(name, [])]
    return [address for _, address in getaddresses(values) if address]


def fingerprint(message: EmailMessage, raw: bytes) -> str:
    """What makes an email the same email on a second delivery: its Message-ID, or else a
    hash of what the sender wrote (not of the trace headers each delivery adds)."""
    message_id = str(message.get("Message-ID", "")).strip()
    if message_id:
        if len(message_id) <= 200:
            return f"id:{message_id}"
        return "id-sha256:" + hashlib.sha256(message_id.encode()).hexdigest()
    digest = hashlib.sha256()
    for name in ("From", "To", "Cc", "Date", "Subject"):
        digest.update(f"{name}:{message.get(name, '')}\n".encode("utf-8", "surrogateescape"))
    separator = b"\r\n\r\n" if b"\r\n\r\n" in raw else b"\n\n"
    digest.update(raw.partition(separator)[2])
    return f"sha256:{digest.hexdigest()}"


# C1 control characters in a "Latin-1" header are Windows-1252 characters (€, curly quotes).
C1_AS_WINDOWS_1252 = {code: bytes([code]).decode("cp1252", errors="replace")
                      for code in range(0x80, 0xA0)}


def subject_of(message: EmailMessage) -> str:
    return str(message.get("Subject", "")).translate(C1_AS_WINDOWS_1252)


def clean_subject(subject: str) -> str:
    """The title an email's subject gives: without Re:, Fwd:, TR: and the like."""
    return " ".join(SUBJECT_PREFIX.sub("", subject).split())


# -- text ---------------------------------------------------------------------------------------

def decoded_text(part: EmailMessage) -> str:
    """A text part's content, right whatever charset it claims (or fails to claim)."""
    payload = part.get_payload(decode=True) or b""
    charset = (part.get_content_charset() or "utf-8").lower()
    if charset in WINDOWS_1252_ALIASES and not payload.isascii():
        try:
            return payload.decode("utf-8")
        except UnicodeDecodeError:
            return payload.decode("cp1252", errors="replace")
    try:
        return payload.decode(charset, errors="replace")
    except LookupError:  # a charset Python does not know
        return payload.decode("utf-8", errors="replace")


def html_to_markdown(html: str) -> str:
    converter = html2text.HTML2Text()
    converter.body_width = 0
    converter.ignore_images = True  # inline images arrive as attached files
    converter.ignore_tables = False
    return converter.handle(html)


def body_text(message: EmailMessage) -> str:
    """The email's text as Markdown: its plain part, or its HTML part converted."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    text = decoded_text(part)  # type: ignore[arg-type]
    if part.get_content_type() == "text/html":
        text = html_to_markdown(text)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def without_quotes(text: str) -> str:
    """The new text of a reply: no quoted history, no signature (English and French clients)."""
    replies = ParsedReply(text, languages=list(REPLY_LANGUAGES)).read().replies
    newest = replies[0].body if replies else text
    lines = SENT_FROM.sub("", newest).rstrip().split("\n")
    while lines and lines[-1].startswith(">"):  # a quote the parser found no header for
        lines.pop()
    return "\n".join(lines).strip()


def new_text(message: EmailMessage, *, reply: bool) -> str:
    text = body_text(message)
    return without_quotes(text) if reply else text.strip()


# -- files --------------------------------------------------------------------------------------

def attachments(message: EmailMessage) -> list[FileStorage]:
    """Attached files and inline images, as uploads for the files service."""
    body = message.get_body(preferencelist=("plain", "html"))
    found = []
    for part in message.walk():
        if part.is_multipart() or part is body or not is_file(part):
            continue
        content = part.get_payload(decode=True) or b""
        name = part.get_filename() or default_name(part)
        found.append(FileStorage(io.BytesIO(content), filename=name,
                                 content_type=part.get_content_type()))
    return found


def is_file(part: EmailMessage) -> bool:
    """An attachment, or an inline image (which HTML clients mark with a Content-ID)."""
    if part.get_content_disposition() == "attachment" or part.get_filename():
        return True
    embedded = part.get_content_disposition() == "inline" or part.get("Content-ID")
    return bool(embedded) and part.get_content_maintype() in {"image", "application"}


def default_name(part: EmailMessage) -> str:
    extension = {"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif",
                 "application/pdf": ".pdf"}.get(part.get_content_type(), "")
    return f"attachment{extension}"
