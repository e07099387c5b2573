"""What is kept of an email: titles without Re:/Fwd:/TR:, every character set right, HTML as
Markdown, inline images and attachments as files."""

from __future__ import annotations

import base64

import pytest

from tests.inbound.conftest import email_bytes
from workspace.extensions import db
from workspace.files.models import ProjectFile
from workspace.inbound.addresses import email_in_address
from workspace.inbound.operations import Outcome, receive
from workspace.inbound.parsing import clean_subject
from workspace.messages.models import Message

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


@pytest.mark.parametrize(("subject", "title"), [
    ("Fwd: Signed quote", "Signed quote"),
    ("TR: Devis signé", "Devis signé"),
    ("Re: RE : Fw: TR: Planning", "Planning"),
    ("Re[2]: Budget", "Budget"),
    ("Réunion: lundi", "Réunion: lundi"),
])
def test_titles_lose_reply_and_forward_prefixes(subject, title):
    assert clean_subject(subject) == title


def raw_email(to: str, sender: str, subject_header: bytes, charset: str, body: bytes,
              encoding: str = "8bit") -> bytes:
    return (f"From: {sender}\r\nTo: {to}\r\nMessage-ID: <{charset}-{len(body)}@x>\r\n"
            f"MIME-Version: 1.0\r\nContent-Type: text/plain; charset={charset}\r\n"
            f"Content-Transfer-Encoding: {encoding}\r\n").encode() + (
        b"Subject: " + subject_header + b"\r\n\r\n" + body + b"\r\n")


@pytest.mark.parametrize(("subject_header", "charset", "body", "encoding"), [
    (b"=?UTF-8?B?w4l0w6kgw6AgUGFyaXMg4oKs?=", "utf-8",
     "Déjà vu: « l'été » coûte 5 €.".encode(), "8bit"),
    (b"=?ISO-8859-1?Q?=C9t=E9_=E0_Paris_=80?=", "iso-8859-1",
     "Déjà vu: « l'été » coûte 5 €.".encode("cp1252"), "8bit"),
    (b"=?windows-1252?Q?=C9t=E9_=E0_Paris_=80?=", "windows-1252",
     b"D=E9j=E0 vu: =AB l'=E9t=E9 =BB co=FBte 5 =80.", "quoted-printable"),
])
def test_character_sets_come_out_right(story, subject_header, charset, body, encoding):
    address = email_in_address(story.ana, story.project)
    raw = raw_email(address, story.ana.email, subject_header, charset, body, encoding)
    assert receive(raw) is Outcome.ACCEPTED
    message = Message.query.one()
    assert message.title == "Été à Paris €"
    assert message.body == "Déjà vu: « l'été » coûte 5 €."


def test_latin_1_text_labelled_latin_1_stays_latin_1(story):
    address = email_in_address(story.ana, story.project)
    raw = raw_email(address, story.ana.email, b"Menu", "iso-8859-1",
                    "Crème brûlée".encode("latin-1"))
    assert receive(raw) is Outcome.ACCEPTED
    assert Message.query.one().body == "Crème brûlée"


def test_an_html_email_with_an_inline_image_becomes_markdown_and_a_file(story):
    from email.message import EmailMessage

    address = email_in_address(story.ana, story.project)
    email = EmailMessage()
    email["From"], email["To"], email["Subject"] = story.ana.email, address, "Fwd: Mock-up"
    email.set_content("<p>The <em>new</em> header:</p><img src='cid:logo@x'>", subtype="html")
    email.add_related(PNG, maintype="image", subtype="png", cid="<logo@x>")
    assert receive(bytes(email)) is Outcome.ACCEPTED
    message = Message.query.one()
    assert message.title == "Mock-up" and message.body.startswith("The _new_ header:")
    image = ProjectFile.query.one()
    assert image.content_type == "image/png" and image.attached_id == message.id


def test_a_forwarded_email_keeps_its_whole_text(story):
    address = email_in_address(story.bo, story.project)
    body = ("Worth reading.\n\n---------- Forwarded message ---------\nFrom: Dee "
            "<dee@supplier.example>\nSubject: Delivery dates\n\nWe deliver on the 3rd.\n")
    assert receive(email_bytes(address, story.bo.email, "Fwd: Delivery dates", body)) is (
        Outcome.ACCEPTED)
    assert "We deliver on the 3rd." in Message.query.one().body


@pytest.mark.parametrize("signature", [
    "-- \nAna Lima\nHead of operations",
    "Best regards,\nAna",
    "Cordialement,\nAna",
    "Envoyé depuis Outlook pour Android",
])
def test_a_replys_signature_is_not_kept(story, signature):
    from tests.inbound.conftest import reply

    message = story.post()
    address = story.reply_address(story.ana)
    raw = reply(address, story.ana, "Agreed, the 12th works.\n\n" + signature)
    assert receive(raw) is Outcome.ACCEPTED
    assert [c.body for c in story.comments(message)] == ["Agreed, the 12th works."]


def test_an_email_whose_subject_says_document_is_filed_as_a_document(story):
    from workspace.documents.models import Document, DocumentVersion
    from workspace.mail.operations import deliver_queued

    address = email_in_address(story.bo, story.project)
    raw = email_bytes(address, story.bo.email, "Document: Meeting notes",
                      "Decided: ship in **June**.", files=(("plan.pdf", "application/pdf",
                                                            b"%PDF-1.4 plan"),))
    assert receive(raw) is Outcome.ACCEPTED
    document = db.session.scalars(db.select(Document)).one()
    assert (document.title, document.author_id) == ("Meeting notes", story.bo.id)
    assert "<strong>June</strong>" in document.body_html
    version = db.session.scalars(db.select(DocumentVersion)).one()
    assert version.note == "Filed by email"
    attached = db.session.scalars(db.select(ProjectFile)).one()
    assert (attached.attached_type, attached.attached_id) == ("document", document.id)
    assert story.count(Message) == 0
    second = email_bytes(email_in_address(story.bo, story.project), story.bo.email,
                         "Document: meeting notes", "Again.")
    assert receive(second) is Outcome.REFUSED
    assert story.count(Document) == 1
    deliver_queued()
    assert "already there" in story.smtp.to(story.bo.email)[-1].get_body(("plain",)).get_content()
