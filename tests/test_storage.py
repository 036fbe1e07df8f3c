"""app.storage: the local folder backend on tmp_path, the S3 backend against moto's real server.

Self-contained: no conftest fixtures, no network beyond 127.0.0.1."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import time
import urllib.request
import uuid
from datetime import UTC, datetime
from urllib.parse import parse_qs, unquote, urlsplit

import flask
import pytest
from werkzeug.http import parse_options_header

from app import storage
from app.storage import LocalStorage, NotSupported, ObjectNotFound, S3Storage, StorageError

# Quotes, CRLF with a would-be injected header, a backslash, a percent sign and Chinese.
NASTY_NAME = 'report "final"\r\nSet-Cookie: x=1\\ 100% 安全检查报告.pdf'
NASTY_CLEAN = 'report "final"Set-Cookie: x=1\\ 100% 安全检查报告.pdf'
NASTY_FALLBACK = "report _final_Set-Cookie: x=1_ 100_ ______.pdf"
from tests.services import BUCKET  # noqa: E402 - the bucket of the session's moto server

# urllib honours *_proxy variables; the moto server is local, so never go through a proxy.
_direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _payload(n: int) -> bytes:
    return bytes(i * 7 % 251 for i in range(n))


# --------------------------------------------------------------------------- keys


def test_new_key_shape():
    key = storage.new_key(42, "documents", "reports", suffix=".pdf")
    match = re.fullmatch(r"tenants/42/documents/reports/([0-9a-f-]{36})\.pdf", key)
    assert match
    assert uuid.UUID(match.group(1)).version == 4
    assert storage.new_key(42) != storage.new_key(42)
    tenant = uuid.uuid4()
    assert storage.new_key(tenant, "photos").startswith(f"tenants/{tenant}/photos/")
    assert storage.check_key(key) == key


@pytest.mark.parametrize(
    "parts",
    [
        ("",),
        ("t1", ""),
        ("t1", "a/b"),
        ("t1", ".."),
        ("t1", "a..b"),
        ("t1", "."),
        ("t1", "x\x00y"),
        ("t1", "x\ny"),
        ("t1", "a\\b"),
        (None,),
        (True,),
        ("t1", 1.5),
    ],
)
def test_new_key_rejects_bad_parts(parts):
    with pytest.raises(StorageError):
        storage.new_key(*parts)


@pytest.mark.parametrize("suffix", ["pdf", "./x", ".pdf/..", ".p\x00", ".pdf\n", "/x"])
def test_new_key_rejects_bad_suffix(suffix):
    with pytest.raises(StorageError):
        storage.new_key("t1", suffix=suffix)


# --------------------------------------------------------------------------- local backend


@pytest.fixture
def local(tmp_path):
    return storage.from_config({"S3_BUCKET": "", "STORAGE_DIR": str(tmp_path / "files")})


def _leftovers(root):
    return [p for p in root.rglob("*") if p.is_file() and p.name.endswith(".part")]


def test_local_round_trip(local, tmp_path):
    assert isinstance(local, LocalStorage)
    data = "隐患整改通知书".encode() * 1000
    key = storage.new_key("t1", "documents", suffix=".txt")
    stored = local.save(key, data, "text/plain")
    assert stored == (key, len(data), hashlib.sha256(data).hexdigest())
    assert (tmp_path / "files" / key).read_bytes() == data
    assert local.exists(key)
    assert local.read(key) == data
    with local.open(key) as stream:
        assert stream.read(5) == data[:5]
    assert local.presigned_get_url(key, "a.txt") is None  # documented: stream it yourself
    local.delete(key)
    assert not local.exists(key)
    with pytest.raises(ObjectNotFound):
        local.read(key)
    local.delete(key)  # idempotent
    assert not _leftovers(tmp_path)


def test_local_streams_file_objects_and_overwrites(local, tmp_path):
    key = storage.new_key("t1", "uploads")
    big = _payload(3 * storage.CHUNK + 17)  # several chunks through the hashing copy
    stored = local.save(key, io.BytesIO(big), "application/octet-stream")
    assert stored.size == len(big)
    assert stored.sha256 == hashlib.sha256(big).hexdigest()
    assert local.save(key, b"", "application/octet-stream").size == 0
    assert local.read(key) == b""


def test_local_failed_write_leaves_old_object_and_no_temp_file(local, tmp_path):
    key = storage.new_key("t1", "documents")
    local.save(key, b"old", "text/plain")

    class Broken(io.RawIOBase):
        calls = 0

        def readable(self):
            return True

        def read(self, n=-1):
            self.calls += 1
            if self.calls > 1:
                raise OSError("client went away")
            return b"partial new content"

    with pytest.raises(StorageError):
        local.save(key, Broken(), "text/plain")
    assert local.read(key) == b"old"
    assert not _leftovers(tmp_path)


@pytest.mark.parametrize(
    "key",
    [
        "../evil",
        "tenants/t1/../../../evil",
        "tenants/../../evil",
        "/etc/passwd",
        "tenants//t1/x",
        "tenants/./x",
        "tenants/t1/",
        "..\\evil",
        "tenants/t1/x\x00.pdf",
        "tenants/t1/x\r\n",
        "",
        "a" * 1025,
        None,
    ],
)
def test_local_refuses_traversal_and_malformed_keys(local, tmp_path, key):
    for call in (
        lambda: local.save(key, b"pwned", "text/plain"),
        lambda: local.read(key),
        lambda: local.exists(key),
        lambda: local.delete(key),
        lambda: local.presigned_get_url(key, "x"),
    ):
        with pytest.raises(StorageError):
            call()
    assert not (tmp_path / "evil").exists()


def test_local_refuses_symlink_out_of_root(local, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (tmp_path / "files" / "tenants").mkdir(parents=True)
    (tmp_path / "files" / "tenants" / "t1").symlink_to(outside, target_is_directory=True)
    with pytest.raises(StorageError, match="outside"):
        local.save("tenants/t1/x.txt", b"pwned", "text/plain")
    with pytest.raises(StorageError, match="outside"):
        local.exists("tenants/t1/x.txt")
    assert list(outside.iterdir()) == []


def test_local_has_no_browser_upload(local):
    with pytest.raises(NotSupported):
        local.presigned_post(storage.new_key("t1"), "image/png", 1000, 60)
    assert issubclass(NotSupported, StorageError)
    assert issubclass(ObjectNotFound, StorageError)


def test_local_rejects_bad_content_type(local):
    with pytest.raises(StorageError):
        local.save(storage.new_key("t1"), b"x", "text/plain\r\nX-Evil: 1")


# --------------------------------------------------------------------------- shared pieces


def _check_disposition(header: str) -> None:
    """ASCII only, no line break, a harmless fallback, and the exact name in filename*."""
    assert header.isascii() and "\r" not in header and "\n" not in header
    parsed = re.fullmatch(r'attachment; filename="([^"]*)"; filename\*=UTF-8\'\'(\S+)', header)
    assert parsed, header
    assert parsed.group(1) == NASTY_FALLBACK
    assert unquote(parsed.group(2), encoding="utf-8", errors="strict") == NASTY_CLEAN
    # Werkzeug, like RFC 6266 clients, lets filename* win over the fallback.
    assert parse_options_header(header) == ("attachment", {"filename": NASTY_CLEAN})


def test_content_disposition_is_safe_and_round_trips():
    _check_disposition(storage.content_disposition(NASTY_NAME))
    assert "download" in storage.content_disposition("\r\n")


def test_from_config_picks_backend_and_validates_ttl(tmp_path):
    s3 = storage.from_config({"S3_BUCKET": "b", "S3_REGION": "cn-north-1"})
    assert isinstance(s3, S3Storage) and s3.ttl == storage.DEFAULT_TTL  # no network: lazy client
    for ttl in (0, -5, 8 * 24 * 3600):
        with pytest.raises(StorageError):
            storage.from_config({"STORAGE_DIR": str(tmp_path), "PRESIGNED_URL_TTL_SECONDS": ttl})
    with pytest.raises(StorageError):
        storage.from_config({"S3_BUCKET": "", "STORAGE_DIR": ""})


def test_init_app_and_get_storage(tmp_path):
    app = flask.Flask(__name__)
    app.config.update(S3_BUCKET=None, STORAGE_DIR=str(tmp_path), PRESIGNED_URL_TTL_SECONDS=60)
    with app.app_context(), pytest.raises(StorageError):
        storage.get_storage()
    backend = storage.init_app(app)
    assert app.extensions["anjian_storage"] is backend
    with app.app_context():
        assert storage.get_storage() is backend
    assert backend.root == tmp_path.resolve() and backend.ttl == 60


# --------------------------------------------------------------------------- S3 backend (moto)


def _s3(endpoint, ttl=120) -> S3Storage:
    return storage.from_config(
        {
            "S3_BUCKET": BUCKET,
            "S3_ENDPOINT_URL": endpoint,
            "S3_REGION": "us-east-1",
            "PRESIGNED_URL_TTL_SECONDS": ttl,
        }
    )


@pytest.fixture
def s3(s3_endpoint):
    return _s3(s3_endpoint)


def test_s3_round_trip(s3):
    data = "重大危险源辨识报告".encode() * 500
    key = storage.new_key("t1", "documents", suffix=".txt")
    stored = s3.save(key, data, "text/plain; charset=utf-8")
    assert stored == (key, len(data), hashlib.sha256(data).hexdigest())
    assert s3.exists(key)
    assert s3.read(key) == data
    with s3.open(key) as body:
        assert body.read(9) == data[:9]
    head = s3.client.head_object(Bucket=BUCKET, Key=key)
    assert head["ContentType"] == "text/plain; charset=utf-8"
    assert head["ContentLength"] == len(data)
    assert head["Metadata"]["sha256"] == stored.sha256
    s3.delete(key)
    assert not s3.exists(key)
    with pytest.raises(ObjectNotFound):
        s3.read(key)
    s3.delete(key)  # idempotent


def test_s3_streams_a_large_file_object(s3):
    # Past the 8 MiB spool and boto's multipart threshold: disk spool + multipart upload.
    data = _payload(storage.SPOOL_BYTES + 1024 * 1024 + 3)
    key = storage.new_key("t1", "exports", suffix=".bin")
    stored = s3.save(key, io.BytesIO(data), "application/octet-stream")
    assert stored.size == len(data)
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert hashlib.sha256(s3.read(key)).hexdigest() == stored.sha256
    s3.delete(key)


def test_s3_missing_bucket_is_a_storage_error(s3_endpoint):
    other = storage.from_config({"S3_BUCKET": "no-such-bucket", "S3_ENDPOINT_URL": s3_endpoint})
    with pytest.raises(StorageError):
        other.save(storage.new_key("t1"), b"x", "text/plain")


def test_s3_refuses_malformed_keys(s3):
    for key in ("../x", "/x", "a//b", "a\x00b"):
        with pytest.raises(StorageError):
            s3.save(key, b"x", "text/plain")
        with pytest.raises(StorageError):
            s3.presigned_get_url(key, "x.txt")


def test_s3_presigned_get_serves_bytes_as_attachment(s3):
    data = b"%PDF-1.7 fake"
    key = storage.new_key("t1", "documents", suffix=".pdf")
    s3.save(key, data, "application/pdf")
    url = s3.presigned_get_url(key, NASTY_NAME)
    with _direct.open(url, timeout=10) as response:  # noqa: S310 - http://127.0.0.1 only
        assert response.read() == data
        disposition = response.headers["Content-Disposition"]
        assert response.headers.get("Set-Cookie") is None
    _check_disposition(disposition)


def _expires(url: str) -> int:
    (value,) = parse_qs(urlsplit(url).query)["X-Amz-Expires"]
    return int(value)


def test_s3_presigned_get_expiry_never_exceeds_config(s3):
    key = storage.new_key("t1", "documents")
    assert _expires(s3.presigned_get_url(key, "a.pdf")) == 120
    assert _expires(s3.presigned_get_url(key, "a.pdf", ttl=30)) == 30
    assert _expires(s3.presigned_get_url(key, "a.pdf", ttl=10_000)) == 120
    with pytest.raises(StorageError):
        s3.presigned_get_url(key, "a.pdf", ttl=0)


def _policy(post: dict) -> dict:
    return json.loads(base64.b64decode(post["fields"]["policy"]))


def _expiration(policy: dict) -> float:
    when = datetime.strptime(policy["expiration"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    return when.timestamp()


@pytest.mark.parametrize("config_ttl, asked, limit", [(120, None, 120), (3600, 3600, 300)])
def test_s3_presigned_post_policy_is_exact(s3_endpoint, config_ttl, asked, limit):
    s3 = _s3(s3_endpoint, ttl=config_ttl)
    key = storage.new_key("t1", "photos", suffix=".jpg")
    before = time.time()
    post = s3.presigned_post(key, "image/jpeg", 5_000_000, asked)
    policy = _policy(post)
    conditions = policy["conditions"]
    assert ["content-length-range", 1, 5_000_000] in conditions
    assert {"Content-Type": "image/jpeg"} in conditions
    assert {"key": key} in conditions
    assert {"bucket": BUCKET} in conditions
    assert not [c for c in conditions if isinstance(c, list) and c[0] == "starts-with"]
    assert post["fields"]["key"] == key and post["fields"]["Content-Type"] == "image/jpeg"
    # The policy's expiration has whole-second precision, hence the one-second slack.
    assert before < _expiration(policy) <= time.time() + limit + 1
    assert limit <= 300


def test_s3_presigned_post_refuses_wildcards_and_bad_limits(s3):
    with pytest.raises(StorageError):
        s3.presigned_post("tenants/t1/${filename}", "image/png", 1000)
    for max_bytes in (0, -1, True, 1.5):
        with pytest.raises(StorageError):
            s3.presigned_post(storage.new_key("t1"), "image/png", max_bytes)
    with pytest.raises(StorageError):
        s3.presigned_post(storage.new_key("t1"), "image/png\r\nX: y", 1000)


def _multipart(fields: dict, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = b""
    for name, value in [*fields.items(), ("file", content)]:
        extra = '; filename="f"' if name == "file" else ""
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"{extra}\r\n\r\n'
        body += head.encode() + (value if isinstance(value, bytes) else value.encode()) + b"\r\n"
    return body + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def test_s3_presigned_post_form_uploads(s3):
    # moto does not enforce the policy (see ENGINEERING.md §6); this proves the fields form a
    # working upload, and the object lands at exactly the server-chosen key.
    key = storage.new_key("t1", "photos", suffix=".png")
    post = s3.presigned_post(key, "image/png", 1000)
    body, content_type = _multipart(post["fields"], b"\x89PNG fake")
    request = urllib.request.Request(  # noqa: S310 - http://127.0.0.1 only
        post["url"], data=body, headers={"Content-Type": content_type}, method="POST"
    )
    with _direct.open(request, timeout=10) as response:  # noqa: S310 - http://127.0.0.1 only
        assert response.status in (200, 201, 204)
    assert s3.read(key) == b"\x89PNG fake"
    assert s3.client.head_object(Bucket=BUCKET, Key=key)["ContentType"] == "image/png"
