"""ZIP packages (DOCX, and any ZIP format after it): members read by streaming, each refused
when its uncompressed size passes a cap, so a small file that inflates to gigabytes (a ZIP
bomb) costs nothing. zipfile never inflates a member past the size its header declares (a
lying header ends in a CRC error), so checking the declared size bounds what is read."""

import io
import zipfile
import zlib
from contextlib import contextmanager

from . import DocumentError

MAX_MEMBER_BYTES = 64 * 2**20  # a real report's word/document.xml is a few MiB
# What zipfile raises on damaged, encrypted or unsupported packages
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError, OSError)


class MemberStream(io.RawIOBase):
    """A ZIP member's uncompressed bytes; damage found while inflating is a DocumentError."""

    def __init__(self, member, name):
        self.member, self.name = member, name

    def readable(self):
        return True

    def readinto(self, buffer):
        try:
            return self.member.readinto(buffer)
        except ZIP_ERRORS as error:
            raise DocumentError(f"{self.name} is damaged in the package: {error}") from error


@contextmanager
def open_member(data, name, limit=MAX_MEMBER_BYTES):
    """A readable stream of one member of the ZIP package `data`; DocumentError when the
    package or member cannot be read or the member is larger than limit uncompressed."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        info = archive.getinfo(name)
        if info.file_size > limit:
            raise DocumentError(
                f"{name} expands to {info.file_size // 2**20} MiB, more than the "
                f"{limit // 2**20} MiB a document may (a ZIP bomb?): refused"
            )
        member = archive.open(info)
    except KeyError as error:
        raise DocumentError(f"not a readable package: no {name} in it") from error
    except ZIP_ERRORS as error:
        raise DocumentError(f"not a readable package: {error}") from error
    with archive, member:
        yield io.BufferedReader(MemberStream(member, name), 2**20)
