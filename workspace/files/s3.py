"""Contents in an S3-compatible bucket (AWS S3, MinIO, Ceph RGW, Garage), through boto3.

An object is named `<prefix>/<sha256>`. An upload is copied to an anonymous local temporary
file while it is hashed and measured (memory: one chunk), then sent under its final name, in
parts of 8 MB when larger than that (memory: one part). S3 shows a multipart object only once
it is complete, so nobody ever reads half of one, and no temporary object is left in the bucket
by a crash (only an unfinished multipart upload, which `files gc` aborts after the grace
period). A content already there is not sent again: it is touched (copied onto itself) so that
gc's grace period, which reads LastModified, spares it until the upload's row is committed.

Credentials and region come from boto3's usual chain (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
AWS_DEFAULT_REGION, a profile or an instance role); the endpoint from WORKSPACE_S3_ENDPOINT_URL
(unset: AWS itself)."""

from __future__ import annotations

import io
import os
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any, BinaryIO

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from workspace.files.storage import (
    CHUNK,
    StorageUnavailable,
    StoredBlob,
    check_hash,
    spool,
    translate_disk_errors,
)

PART = 8 * CHUNK
MISSING = {"404", "NoSuchKey", "NotFound"}
CLIENTS: dict[tuple[str | None, ...], Any] = {}
CLIENTS_LOCK = threading.Lock()
CREDENTIAL_VARIABLES = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                        "AWS_DEFAULT_REGION", "AWS_PROFILE")


def client_for(endpoint_url: str | None) -> Any:
    """One boto3 client (thread-safe) per endpoint and set of credentials, for the process:
    making one costs tens of milliseconds."""
    key = (endpoint_url, *(os.environ.get(name) for name in CREDENTIAL_VARIABLES))
    with CLIENTS_LOCK:
        if key not in CLIENTS:
            CLIENTS[key] = boto3.session.Session().client("s3", endpoint_url=endpoint_url,
                                                          config=client_config(endpoint_url))
        return CLIENTS[key]


def client_config(endpoint_url: str | None) -> Config:
    """Fail fast when the store is unreachable (an upload answers 503 rather than hanging);
    path-style addressing for self-hosted servers, whose buckets have no DNS names."""
    return Config(connect_timeout=3, read_timeout=60, retries={"max_attempts": 3,
                                                               "mode": "standard"},
                  s3={"addressing_style": "path" if endpoint_url else "auto"},
                  signature_version="s3v4")


class S3Storage:
    def __init__(self, bucket: str, prefix: str, *, endpoint_url: str | None = None) -> None:
        self.bucket, self.endpoint_url = bucket, endpoint_url
        self.prefix = f"{prefix}/" if prefix else ""
        self.url = f"s3://{bucket}/{prefix}"
        self.client = client_for(endpoint_url)

    def key(self, sha256: str) -> str:
        return self.prefix + check_hash(sha256)

    @contextmanager
    def reaching(self, action: str) -> Iterator[None]:
        """Say a store's failure as StorageUnavailable, and a missing object as
        FileNotFoundError."""
        try:
            yield
        except ClientError as error:
            code = str(error.response.get("Error", {}).get("Code"))
            if code in MISSING:
                raise FileNotFoundError(f"{self.url}: {action}: no such object") from error
            raise StorageUnavailable(explain(self, action, error)) from error
        except BotoCoreError as error:  # unreachable, no credentials, a stream cut midway
            raise StorageUnavailable(f"{self.url}: {action}: {error}") from error

    # -- writing ----------------------------------------------------------------------------

    def save(self, stream: BinaryIO, max_size: int) -> StoredBlob:
        try:
            with tempfile.TemporaryFile(prefix="workspace-upload-") as out:
                spooled = spool(stream, max_size, out)
                blob = StoredBlob(spooled.sha256, spooled.size, spooled.head, created=False)
                if self.size(blob.sha256) == blob.size:
                    self.touch(blob.sha256)
                    return blob
                out.seek(0)
                self.send(out, self.key(blob.sha256), blob.size)
                return StoredBlob(blob.sha256, blob.size, blob.head, created=True)
        except OSError as error:  # the local temporary file: a full disk
            raise translate_disk_errors(error) from error

    def send(self, file: BinaryIO, key: str, size: int) -> None:
        if size <= PART:
            with self.reaching("upload"):
                self.client.put_object(Bucket=self.bucket, Key=key, Body=file.read())
            return
        with self.reaching("start an upload"):
            upload_id = self.client.create_multipart_upload(
                Bucket=self.bucket, Key=key)["UploadId"]
        try:
            parts = []
            while data := file.read(PART):
                number = len(parts) + 1
                with self.reaching("upload a part"):
                    etag = self.client.upload_part(Bucket=self.bucket, Key=key, Body=data,
                                                   UploadId=upload_id, PartNumber=number)["ETag"]
                parts.append({"ETag": etag, "PartNumber": number})
            with self.reaching("complete an upload"):
                self.client.complete_multipart_upload(
                    Bucket=self.bucket, Key=key, UploadId=upload_id,
                    MultipartUpload={"Parts": parts})
        except BaseException:
            with suppress(ClientError, BotoCoreError):  # else gc aborts it later
                self.client.abort_multipart_upload(Bucket=self.bucket, Key=key,
                                                   UploadId=upload_id)
            raise

    def touch(self, sha256: str) -> None:
        """Make LastModified now, as LocalStorage's utime does."""
        key = self.key(sha256)
        with self.reaching("touch"):
            self.client.copy_object(Bucket=self.bucket, Key=key, MetadataDirective="REPLACE",
                                    CopySource={"Bucket": self.bucket, "Key": key},
                                    Metadata={"touched": str(int(time.time()))})

    def delete(self, sha256: str) -> None:
        with self.reaching("delete"):
            self.client.delete_object(Bucket=self.bucket, Key=self.key(sha256))

    # -- reading ----------------------------------------------------------------------------

    def open(self, sha256: str) -> BinaryIO:
        key = self.key(sha256)
        with self.reaching("read"):
            response = self.client.get_object(Bucket=self.bucket, Key=key)
        raw = ObjectReader(self, key, response["Body"], response["ContentLength"])
        return io.BufferedReader(raw, buffer_size=CHUNK)  # type: ignore[return-value]

    def size(self, sha256: str) -> int | None:
        try:
            with self.reaching("look up"):
                return self.client.head_object(Bucket=self.bucket,
                                               Key=self.key(sha256))["ContentLength"]
        except FileNotFoundError:
            return None

    def exists(self, sha256: str) -> bool:
        return self.size(sha256) is not None

    def hashes(self, older_than: float = 0) -> Iterator[str]:
        """The stored contents, or only those not written for `older_than` seconds."""
        limit = time.time() - older_than
        with self.reaching("list"):
            pages = self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=self.prefix)
            for page in pages:
                for entry in page.get("Contents", []):
                    name = entry["Key"][len(self.prefix):]
                    if is_hash(name) and (not older_than
                                          or entry["LastModified"].timestamp() < limit):
                        yield name

    def remove_stale_temporaries(self, older_than: float) -> int:
        """Abort the multipart uploads a crash left unfinished; returns how many."""
        limit, aborted = time.time() - older_than, 0
        with self.reaching("list unfinished uploads"):
            pages = self.client.get_paginator("list_multipart_uploads").paginate(
                Bucket=self.bucket, Prefix=self.prefix)
            for page in pages:
                for upload in page.get("Uploads", []):
                    if upload["Initiated"].timestamp() < limit:
                        self.client.abort_multipart_upload(
                            Bucket=self.bucket, Key=upload["Key"], UploadId=upload["UploadId"])
                        aborted += 1
        return aborted

    def check(self) -> None:
        """Is the bucket there, and do our credentials open it?"""
        with self.reaching("open the bucket"):
            try:
                self.client.head_bucket(Bucket=self.bucket)
            except ClientError as error:
                if str(error.response.get("Error", {}).get("Code")) in MISSING:
                    raise StorageUnavailable(
                        f"{self.url}: the bucket {self.bucket!r} does not exist at "
                        f"{self.endpoint_url or 'AWS'}; create it first.") from error
                raise

    def presigned_url(self, sha256: str, *, content_type: str, disposition: str,
                      seconds: int = 60) -> str:
        """A link that serves the content straight from the store for `seconds`, with the
        headers our own download would have."""
        with self.reaching("sign a link"):
            return self.client.generate_presigned_url("get_object", ExpiresIn=seconds, Params={
                "Bucket": self.bucket, "Key": self.key(sha256),
                "ResponseContentType": content_type,
                "ResponseContentDisposition": disposition,
                "ResponseCacheControl": "private, no-cache",
            })


def explain(store: S3Storage, action: str, error: ClientError) -> str:
    status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    code = error.response.get("Error", {}).get("Code")
    hint = (" (check AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and the bucket's policy)"
            if status in (401, 403) else "")
    return f"{store.url}: {action}: {code} (HTTP {status}){hint}"


def is_hash(name: str) -> bool:
    return len(name) == 64 and all(c in "0123456789abcdef" for c in name)


class ObjectReader(io.RawIOBase):
    """An object read as a seekable file: a seek asks for the rest from there (a Range
    request) only when the next read comes, so ranged downloads and Pillow read what they
    need, not the whole object."""

    def __init__(self, store: S3Storage, key: str, body: Any, size: int) -> None:
        self.store, self.key, self.body, self.size = store, key, body, size
        self.position = self.body_position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: self.size}[whence]
        self.position = max(0, base + offset)
        return self.position

    def readinto(self, buffer: Any) -> int:
        if self.position >= self.size:
            return 0
        if self.body is None or self.body_position != self.position:
            self.reopen()
        with self.store.reaching("read"):
            data = self.body.read(len(buffer))
        if not data:
            raise StorageUnavailable(f"{self.store.url}: {self.key} ended early")
        buffer[: len(data)] = data
        self.position = self.body_position = self.position + len(data)
        return len(data)

    def reopen(self) -> None:
        self.close_body()
        with self.store.reaching("read"):
            self.body = self.store.client.get_object(
                Bucket=self.store.bucket, Key=self.key, Range=f"bytes={self.position}-")["Body"]
        self.body_position = self.position

    def close_body(self) -> None:
        if self.body is not None:
            self.body.close()
            self.body = None

    def close(self) -> None:
        self.close_body()
        super().close()
