"""The engine keeps freed memory for reuse on glibc, and changes nothing elsewhere."""

import platform

from gdstudio.core.heap import keep_freed_memory


def test_allocator_is_tuned_exactly_on_glibc():
    assert keep_freed_memory() is (platform.libc_ver()[0] == "glibc")
