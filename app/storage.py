"""Object storage: one small interface over a local folder (embedded mode) or any S3 endpoint.

boto3 is imported here and nowhere else. Keys are built by the server with `new_key`, carry the
tenant, and never come from a client; both backends still re-check every key, so a bad key is
refused the same way on disk and on S3. Downloads go out as short-lived presigned URLs (S3), or are
streamed by the API layer itself when `presigned_get_url` returns None (local folder).
"""

from __future__ import annotations

import abc
import hashlib
import io
import os
import re
import tempfile
import threading
import uuid
from collections.abc import Mapping
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any, NamedTuple
from urllib.parse import quote

import boto3
from boto3.exceptions import Boto3Error
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from flask import current_app

from app.messages import Msg

EXTENSION_KEY = "anjian_storage"
KEY_PREFIX = "tenants"
DEFAULT_TTL = 300
POST_TTL_MAX = 300  # browser uploads: a policy stays usable for at most five minutes
SIGV4_TTL_MAX = 7 * 24 * 3600  # SigV4 refuses anything longer
CHUNK = 256 * 1024
SPOOL_BYTES = 8 * 1024 * 1024
_SUFFIX = re.compile(r"(\.[A-Za-z0-9]{1,16}){0,3}\Z")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class StorageError(Exception):
    """Anything that went wrong in storage, including a refused key."""


class ObjectNotFound(StorageError):
    pass


class NotSupported(StorageError):
    pass


class StoredObject(NamedTuple):
    key: str
    size: int
    sha256: str  # lowercase hex


def new_key(tenant_id: object, *parts: object, suffix: str = "") -> str:
    """`tenants/{tenant}/{parts...}/{uuid4}{suffix}`; new_key(7, "documents", suffix=".pdf")."""
    for part in (tenant_id, *parts):
        # bool is an int, and None would become "None": caller bugs, not ids.
        ok = isinstance(part, str | int | uuid.UUID) and not isinstance(part, bool)
        if not ok or "/" in str(part) or ".." in str(part) or _bad_segment(str(part)):
            raise StorageError(f"bad key part {part!r}")
    if not isinstance(suffix, str) or not _SUFFIX.match(suffix):
        raise StorageError(f"bad key suffix {suffix!r}")
    return "/".join([KEY_PREFIX, *map(str, (tenant_id, *parts)), f"{uuid.uuid4()}{suffix}"])


def _bad_segment(seg: str) -> bool:
    return seg in ("", ".", "..") or "\\" in seg or bool(_CONTROL.search(seg))


def check_key(key: object) -> str:
    """The rule both backends share: relative, no empty/./.. segments, no control characters."""
    # 1024 bytes is S3's limit; a leading "/" shows up as an empty first segment.
    if not isinstance(key, str) or len(key.encode()) > 1024:
        raise StorageError(f"bad storage key {key!r}")
    if any(map(_bad_segment, key.split("/"))):
        raise StorageError(f"bad storage key {key!r}")
    return key


def content_disposition(filename: str) -> str:
    """`attachment` with an ASCII fallback and the exact UTF-8 name (RFC 6266 + RFC 5987).

    Public because the API layer sends the same header when it streams a local file."""
    # Drop control characters first: a CR/LF in a header value splits the response.
    name = "".join(ch for ch in str(filename) if ch.isprintable()) or "download"
    # Fallback for old clients: printable ASCII minus the quoted-string escapes and '%', which
    # some browsers percent-decode in the plain `filename` parameter.
    fallback = "".join(ch if " " <= ch <= "~" and ch not in '"\\%' else "_" for ch in name)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def _stream(data: bytes | bytearray | memoryview | IO[bytes]) -> IO[bytes]:
    return io.BytesIO(bytes(data)) if isinstance(data, bytes | bytearray | memoryview) else data


def _copy_hashing(key: str, src: IO[bytes], dst: IO[bytes]) -> StoredObject:
    digest, size = hashlib.sha256(), 0
    while chunk := src.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        dst.write(chunk)
    return StoredObject(key, size, digest.hexdigest())


def _check_content_type(content_type: str) -> str:
    if not isinstance(content_type, str) or not content_type or _CONTROL.search(content_type):
        raise StorageError(f"bad content type {content_type!r}")
    return content_type


class Storage(abc.ABC):
    def __init__(self, ttl: int = DEFAULT_TTL):
        self.ttl = ttl

    @abc.abstractmethod
    def save(self, key: str, data, content_type: str) -> StoredObject: ...

    @abc.abstractmethod
    def open(self, key: str) -> IO[bytes]:
        """A readable binary stream; close it (use `with`). Raises ObjectNotFound."""

    @abc.abstractmethod
    def exists(self, key: str) -> bool: ...

    @abc.abstractmethod
    def delete(self, key: str) -> None:
        """Idempotent: deletions run after commit from at-least-once jobs and may run twice."""

    @abc.abstractmethod
    def presigned_get_url(
        self, key: str, filename: str, ttl: int | None = None, content_type: str | None = None
    ) -> str | None: ...

    @abc.abstractmethod
    def presigned_post(
        self, key: str, content_type: str, max_bytes: int, ttl: int | None = None
    ) -> dict[str, Any]: ...

    def copy(self, source: str, target: str) -> None:
        """Copy one object to another key inside the store (no bytes through the app on S3)."""
        with self.open(source) as stream:
            self.save(target, stream, "application/octet-stream")

    def lock(self, key: str, retain_until) -> None:
        """Make the stored object immutable until `retain_until` (an aware datetime), where
        the backend can: S3 Object Lock in compliance mode. A local folder cannot; no-op."""
        check_key(key)

    def read(self, key: str) -> bytes:
        with self.open(key) as stream:
            return stream.read()

    def _ttl(self, ttl: int | None, cap: int) -> int:
        # A caller may ask for less than the configured lifetime, never for more.
        ttl = self.ttl if ttl is None else int(ttl)
        if ttl <= 0:
            raise StorageError(f"bad ttl {ttl}")
        return min(ttl, self.ttl, cap)


class LocalStorage(Storage):
    """Files under one root folder (embedded mode). presigned_get_url returns None: no URL can be
    signed for a local file, so the API layer streams it with open() + content_disposition()."""

    def __init__(self, root: str | os.PathLike, ttl: int = DEFAULT_TTL):
        super().__init__(ttl)
        self.root = Path(root).resolve()

    def _path(self, key: str) -> Path:
        # resolve() follows symlinks, so a link inside the root that points out is refused too.
        path = (self.root / check_key(key)).resolve()
        if not path.is_relative_to(self.root) or path == self.root:
            raise StorageError(f"key {key!r} resolves outside the storage folder")
        return path

    def save(self, key, data, content_type):
        path = self._path(key)
        _check_content_type(content_type)  # not stored on disk; checked so both backends agree
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # Temp file in the same folder so os.replace is an atomic rename: readers see the old
            # object or the whole new one, never a torn write.
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".part")
            try:
                with os.fdopen(fd, "wb") as out:
                    stored = _copy_hashing(key, _stream(data), out)
                    out.flush()
                    os.fsync(out.fileno())
                os.replace(tmp, path)
            except BaseException:
                with suppress(FileNotFoundError):
                    os.unlink(tmp)
                raise
        except OSError as exc:
            raise StorageError(f"cannot write {key!r}: {exc}") from exc
        return stored

    def open(self, key):
        try:
            return self._path(key).open("rb")
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError) as exc:
            raise ObjectNotFound(key) from exc
        except OSError as exc:
            raise StorageError(f"cannot read {key!r}: {exc}") from exc

    def exists(self, key):
        return self._path(key).is_file()

    def delete(self, key):
        try:
            self._path(key).unlink(missing_ok=True)
        except OSError as exc:
            raise StorageError(f"cannot delete {key!r}: {exc}") from exc

    def presigned_get_url(self, key, filename, ttl=None, content_type=None):
        self._path(key)
        return None

    def presigned_post(self, key, content_type, max_bytes, ttl=None):
        raise NotSupported(
            Msg("direct browser uploads need S3; upload through the API instead")
        )


@contextmanager
def _s3_errors(key: str, verb: str):
    try:
        yield
    except (BotoCoreError, ClientError, Boto3Error) as exc:
        code = exc.response.get("Error", {}).get("Code") if isinstance(exc, ClientError) else None
        if code in ("NoSuchKey", "404", "NotFound"):  # HEAD has no body, so only "404"
            raise ObjectNotFound(key) from exc
        raise StorageError(f"cannot {verb} {key!r}: {exc}") from exc


class S3Storage(Storage):
    def __init__(self, bucket: str, endpoint_url=None, region=None, ttl: int = DEFAULT_TTL):
        super().__init__(ttl)
        self.bucket, self.endpoint_url, self.region = bucket, endpoint_url, region
        self._client = None
        self._lock = threading.Lock()

    @property
    def client(self):
        # Built on first use, not in init_app: rq forks a work-horse per job and gunicorn may
        # preload, and a client created before fork would share its connection pool with the child.
        with self._lock:
            if self._client is None:
                self._client = boto3.session.Session().client(
                    "s3",
                    endpoint_url=self.endpoint_url,
                    region_name=self.region,
                    config=Config(
                        signature_version="s3v4",
                        # botocore >= 1.36 adds CRC checksums by default, which several
                        # S3-compatible stores reject; send them only where S3 requires them.
                        request_checksum_calculation="when_required",
                        response_checksum_validation="when_required",
                        retries={"mode": "standard"},
                    ),
                )
            return self._client

    def save(self, key, data, content_type):
        check_key(key)
        extra = {"ContentType": _check_content_type(content_type)}
        # Spool while hashing (memory up to 8 MiB, then a temp file): the digest is known before
        # the PUT, so it travels as object metadata, and boto gets a seekable body it can retry.
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
            stored = _copy_hashing(key, _stream(data), spool)
            spool.seek(0)
            extra["Metadata"] = {"sha256": stored.sha256}
            with _s3_errors(key, "write"):
                self.client.upload_fileobj(spool, self.bucket, key, ExtraArgs=extra)
        return stored

    def open(self, key):
        with _s3_errors(key, "read"):
            return self.client.get_object(Bucket=self.bucket, Key=check_key(key))["Body"]

    def exists(self, key):
        try:
            with _s3_errors(key, "check"):
                self.client.head_object(Bucket=self.bucket, Key=check_key(key))
        except ObjectNotFound:
            return False
        return True

    def delete(self, key):
        with _s3_errors(key, "delete"):
            self.client.delete_object(Bucket=self.bucket, Key=check_key(key))

    def copy(self, source, target):
        with _s3_errors(source, "copy"):
            self.client.copy_object(
                Bucket=self.bucket,
                Key=check_key(target),
                CopySource={"Bucket": self.bucket, "Key": check_key(source)},
            )

    def lock(self, key, retain_until):
        # A separate call rather than lock headers on the PUT: PutObjectRetention is one
        # request botocore always checksums, as S3 requires for Object Lock, whichever upload
        # path (API or presigned POST) wrote the object. The bucket needs Object Lock enabled.
        with _s3_errors(key, "lock"):
            self.client.put_object_retention(
                Bucket=self.bucket,
                Key=check_key(key),
                Retention={"Mode": "COMPLIANCE", "RetainUntilDate": retain_until},
            )

    def presigned_get_url(self, key, filename, ttl=None, content_type=None):
        # No existence check: callers issue URLs only after a scope check on the database row.
        disposition = content_disposition(filename)
        params = {
            "Bucket": self.bucket,
            "Key": check_key(key),
            "ResponseContentDisposition": disposition,
        }
        if content_type:  # the type the server checked, whatever the object's metadata says
            params["ResponseContentType"] = _check_content_type(content_type)
        with _s3_errors(key, "sign"):
            return self.client.generate_presigned_url(
                "get_object", Params=params, ExpiresIn=self._ttl(ttl, SIGV4_TTL_MAX)
            )

    def presigned_post(self, key, content_type, max_bytes, ttl=None):
        """{"url", "fields"} for a browser form. Exact key (never `${filename}`, which boto would
        turn into a starts-with wildcard), exact Content-Type, 1..max_bytes, at most 300 s.
        Providers differ in what they enforce: re-check size and type after the upload."""
        if "$" in check_key(key):
            raise StorageError(f"bad key for an upload policy {key!r}")
        if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 1:
            raise StorageError(f"bad max_bytes {max_bytes!r}")
        content_type = _check_content_type(content_type)
        with _s3_errors(key, "sign"):
            return self.client.generate_presigned_post(
                Bucket=self.bucket,
                Key=key,
                Fields={"Content-Type": content_type},
                Conditions=[{"Content-Type": content_type}, ["content-length-range", 1, max_bytes]],
                ExpiresIn=self._ttl(ttl, POST_TTL_MAX),
            )


def from_config(config: Mapping[str, Any]) -> Storage:
    """S3 when S3_BUCKET is set, else the STORAGE_DIR folder. For init_app, tests and workers."""
    raw = config.get("PRESIGNED_URL_TTL_SECONDS")
    ttl = DEFAULT_TTL if raw in (None, "") else int(raw)  # an explicit 0 is an error, not 300
    if not 1 <= ttl <= SIGV4_TTL_MAX:
        raise StorageError(f"PRESIGNED_URL_TTL_SECONDS must be 1..{SIGV4_TTL_MAX}, not {ttl}")
    if config.get("S3_BUCKET"):
        endpoint, region = config.get("S3_ENDPOINT_URL") or None, config.get("S3_REGION") or None
        return S3Storage(config["S3_BUCKET"], endpoint, region, ttl)
    if not config.get("STORAGE_DIR"):
        raise StorageError("set S3_BUCKET or STORAGE_DIR")
    return LocalStorage(config["STORAGE_DIR"], ttl)


def init_app(app) -> Storage:
    app.extensions[EXTENSION_KEY] = storage = from_config(app.config)
    return storage


def get_storage() -> Storage:
    try:
        return current_app.extensions[EXTENSION_KEY]
    except KeyError:
        raise StorageError("storage.init_app(app) was not called for this app") from None
