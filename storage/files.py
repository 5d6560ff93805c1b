"""Reading a file named by the user (a document, a registry): only a regular file, and only
after its size passed the bound, so /dev/zero, a FIFO or a terminal cannot be read without end."""

import errno
import os
import stat


class NotARegularFile(OSError):
    pass


def read_regular_file(path, limit):
    """The bytes of the regular file at path, at most `limit` of them; OSError otherwise
    (NotARegularFile for a device, a pipe, a socket or a folder; EFBIG when it is larger)."""
    # O_NONBLOCK: opening a FIFO with no writer must not hang before it is refused
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotARegularFile(errno.EINVAL, "not a regular file (a device, a pipe or a folder)", str(path))
        if info.st_size > limit:
            raise OSError(errno.EFBIG, f"{info.st_size:,} bytes; at most {limit:,} are read", str(path))
        data = os.read(fd, limit + 1)
        while len(data) <= limit and (chunk := os.read(fd, limit + 1 - len(data))):
            data += chunk
    finally:
        os.close(fd)
    if len(data) > limit:  # the file grew while it was read
        raise OSError(errno.EFBIG, f"more than {limit:,} bytes; at most {limit:,} are read", str(path))
    return data
