"""Hostile model archives: checked member by member before anything is decompressed."""

from __future__ import annotations

import hashlib
import json
import shutil
import struct
import zipfile
from pathlib import Path

import pytest

from classifier import CertaintyClassifier
from classifier.errors import ModelLoadError
from classifier.io.archive import MANIFEST, WEIGHTS, default_model_path, load_scorer
from tests.archive import members, rewrite
from tests.hostile.common import EXAMPLES, MODEL_PEAK, hedge, one_error_line, refused_within, run

SAMPLE = str(EXAMPLES / "sample.txt")


@pytest.fixture
def model(tmp_path: Path) -> Path:
    path = tmp_path / "m.hedge"
    shutil.copy(default_model_path(), path)
    return path


def write_zip(path: Path, content: dict[str, bytes], **methods: int) -> None:
    """Write ``content`` deflated, but members named in ``methods`` (as ``weights``)."""
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in content.items():
            method = methods.get(name.removesuffix(".json"), zipfile.ZIP_DEFLATED)
            archive.writestr(name, data, compress_type=method)


def deflated(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def patch_header(path: Path, name: str, *, flags: int | None = None, method: int | None = None):
    """Set the flags or compression method of member ``name`` in both of its headers."""
    data = bytearray(path.read_bytes())
    encoded = name.encode()
    for signature, flag_at, name_at, length_at in ((b"PK\x03\x04", 6, 30, 26),
                                                   (b"PK\x01\x02", 8, 46, 28)):  # fmt: skip
        at = 0
        while (at := data.find(signature, at)) >= 0:
            (length,) = struct.unpack_from("<H", data, at + length_at)
            if data[at + name_at : at + name_at + length] == encoded:
                if flags is not None:
                    struct.pack_into("<H", data, at + flag_at, flags)
                if method is not None:
                    struct.pack_into("<H", data, at + flag_at + 2, method)
            at += 4
    path.write_bytes(bytes(data))


def with_manifest(path: Path, **fields: object) -> None:
    content = members(path)
    manifest = json.loads(content[MANIFEST])
    manifest.update(fields)
    content[MANIFEST] = json.dumps(manifest).encode()
    write_zip(path, content)


def refused(capsys, model: Path, *words: str, load: bool = True) -> str:
    """Check that scoring with ``model`` (and loading it, with ``load``) fail with one line."""
    code, _, err = run(capsys, "score", "--model", str(model), SAMPLE)
    assert code == 1
    line = one_error_line(err, str(model), *words)
    if not load:
        return line
    with pytest.raises(ModelLoadError) as raised:
        CertaintyClassifier.load(model)
    assert "\n" not in str(raised.value)
    return line


def test_members_null(capsys, model):
    with_manifest(model, members=None)
    refused(capsys, model, "members")


def test_encrypted_member(capsys, model):
    patch_header(model, WEIGHTS, flags=1)
    refused(capsys, model, WEIGHTS, "encrypted")


def test_unknown_compression_method(capsys, model):
    patch_header(model, WEIGHTS, method=99)
    refused(capsys, model, WEIGHTS, "compression method 99")


def test_lzma_member_with_bad_data(capsys, model):
    content = members(model)
    write_zip(model, content, weights=zipfile.ZIP_LZMA)
    data = bytearray(model.read_bytes())
    at = data.find(b"PK\x03\x04", data.find(WEIGHTS.encode()) - 30)
    data[at + 30 + len(WEIGHTS) + 20 : at + 30 + len(WEIGHTS) + 60] = b"\xff" * 40
    model.write_bytes(bytes(data))
    refused(capsys, model)


def test_bad_deflate_data(capsys, model):
    content = members(model)
    write_zip(model, content)
    with zipfile.ZipFile(model) as archive:
        info = archive.getinfo(MANIFEST)
    data = bytearray(model.read_bytes())
    start = info.header_offset + 30 + len(MANIFEST)
    data[start + 100 : start + 200] = b"\x00\xff" * 50
    model.write_bytes(bytes(data))
    refused(capsys, model, MANIFEST)


def test_member_with_a_strange_name(capsys, model):
    content = members(model)
    content["../../evil.json"] = b"{}"
    write_zip(model, content)
    refused(capsys, model, "evil.json")


def test_archive_without_weights_names_the_member(capsys, model):
    content = members(model)
    del content[WEIGHTS]
    write_zip(model, content)
    line = refused(capsys, model, WEIGHTS)
    assert "convention" not in line


def test_empty_model_file(capsys, tmp_path):
    model = tmp_path / "x.hedge"
    model.write_bytes(b"")
    line = refused(capsys, model, "empty")
    assert "x.json" not in line


def test_non_utf8_weights_name_file_and_member(capsys, model):
    rewrite(model, weights=b"\xff\xfe{}")
    refused(capsys, model, f"{model}:{WEIGHTS}", "UTF-8", load=False)


@pytest.mark.parametrize("part", ["types", "aspects"])
def test_optional_members_are_not_decompressed_for_plain_scoring(capsys, model, part):
    """A damaged cue_types.json does not stop scoring; asking for types reports it."""
    member = {"types": "cue_types.json", "aspects": "aspects.json"}[part]
    content = members(model)
    write_zip(model, content)
    with zipfile.ZipFile(model) as archive:
        info = archive.getinfo(member)
    data = bytearray(model.read_bytes())
    start = info.header_offset + 30 + len(info.filename)
    data[start + 100 : start + 200] = b"\x00\xff" * 50
    model.write_bytes(bytes(data))
    code, out, err = run(capsys, "score", "--model", str(model), SAMPLE)
    assert (code, err) == (0, "")
    assert out
    code, _, err = run(capsys, "score", "--model", str(model), "--with", part, SAMPLE)
    assert code == 1
    one_error_line(err, member)


def bomb(path: Path, name: str, size: int) -> None:
    """Give ``path`` a member ``name`` of ``size`` bytes of JSON, deflated to a few KB."""
    content = members(path)
    with zipfile.ZipFile(path, "w", compresslevel=1) as archive:
        for member, data in content.items():
            if member != name:
                archive.writestr(member, data, compress_type=zipfile.ZIP_DEFLATED)
        sha = hashlib.sha256()
        with archive.open(deflated(name), "w", force_zip64=True) as out:
            block = b'{"pad": "' + b" " * ((1 << 20) - 9)
            chunks = [block] + [b" " * (1 << 20)] * (size // (1 << 20) - 2) + [b' "}']
            for chunk in chunks:
                sha.update(chunk)
                out.write(chunk)
    assert name != MANIFEST  # the manifest's sha256 would need to be its own
    manifest = json.loads(content[MANIFEST])
    manifest["members"][name] = sha.hexdigest()
    content = members(path)
    content[MANIFEST] = json.dumps(manifest).encode()
    write_zip(path, content)


def test_zip_bomb_in_an_optional_member_stays_in_memory_bounds(model):
    member = "aspects.json"
    bomb(model, member, 256 << 20)
    done = hedge("score", "--model", str(model), SAMPLE, "-o", "/dev/null")
    refused_within(done, MODEL_PEAK, member)


def test_huge_manifest_is_refused_before_it_is_decompressed(model):
    content = members(model)
    with zipfile.ZipFile(model, "w", compresslevel=1) as archive:
        with archive.open(deflated(MANIFEST), "w", force_zip64=True) as out:
            manifest = json.loads(content[MANIFEST])
            out.write(json.dumps(manifest)[:-1].encode() + b', "pad": "')
            for _ in range(250):
                out.write(b" " * (1 << 20))
            out.write(b'"}')
        for name, data in content.items():
            if name != MANIFEST:
                archive.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    done = hedge("score", "--model", str(model), SAMPLE, "-o", "/dev/null")
    refused_within(done, MODEL_PEAK, MANIFEST)


def test_a_real_model_still_loads(capsys, model):
    assert load_scorer(model).score("It may rain.")[0].label == "uncertain"
    clf = CertaintyClassifier.load(model)
    assert clf.predict(["It may rain."])[0] == "uncertain"


def padded(member: bytes, size: int) -> bytes:
    """Return a weights member with extra features up to about ``size`` bytes of JSON."""
    weights = json.loads(member)
    features = weights["uncertain"]["features"]
    count = (size - len(member)) // len(json.dumps({"pad0000000": 0.001})[1:-1] + ", ")
    features.update((f"pad{n:07d}", 0.001) for n in range(count))
    return json.dumps(weights).encode()


def test_the_largest_archive_accepted_scores_within_its_bound(model):
    """weights.json and a convention each just under the 8 MB a JSON member may hold."""
    from classifier.io.archive import MAX_MEMBER_BYTES

    content = members(model)
    size = MAX_MEMBER_BYTES - (64 << 10)
    big = {name: padded(content[name], size) for name in (WEIGHTS, "conventions/news.json")}
    assert all(len(data) > MAX_MEMBER_BYTES - (256 << 10) for data in big.values())
    rewrite(model, weights=big[WEIGHTS], **{"conventions/news.json": big["conventions/news.json"]})
    for convention in ([], ["--convention", "news"]):
        done = hedge("score", "--model", str(model), *convention, SAMPLE, "-o", "/dev/null")
        assert done.returncode == 0, done.stderr[-300:]
        assert 0 < done.peak < MODEL_PEAK, done.peak_mb
