"""The engine keeps freed memory for reuse on glibc, changes nothing elsewhere, and
leaves the window's process alone."""

import platform
import subprocess
import sys
import textwrap

from gdstudio.core.heap import keep_freed_memory


def test_allocator_is_tuned_exactly_on_glibc():
    assert keep_freed_memory() is (platform.libc_ver()[0] == "glibc")


def times_tuned_after(code: str) -> int:
    """Run ``code`` in a fresh interpreter; how often it tuned the allocator."""
    probe = textwrap.dedent(code) + textwrap.dedent("""
        from gdstudio.core.heap import keep_freed_memory
        print(keep_freed_memory.cache_info().misses)
    """)
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return int(result.stdout.split()[-1])


def test_the_windows_process_is_not_tuned():
    """`gdstudio` checks the set-up (building a simulation) before the window opens, in its own process."""
    assert (
        times_tuned_after("""
        import sys, types
        sys.modules["gdstudio.app"] = types.SimpleNamespace(main=lambda *args, **kw: 0)  # no window
        from gdstudio.cli import main
        assert main(["--problem", "rosenbrock", "--optimizer", "adam"]) == 0
    """)
        == 0
    )


def test_gdstudio_run_and_the_engine_process_are_tuned():
    assert (
        times_tuned_after("""
        from gdstudio.cli import main
        assert main(["run", "--problem", "bowl", "--steps", "3"]) == 0
    """)
        == 1
    )
    assert (
        times_tuned_after("""
        import multiprocessing
        from gdstudio.core.engine_loop import serve
        commands_out, commands_in = multiprocessing.Pipe(duplex=False)
        results_out, results_in = multiprocessing.Pipe(duplex=False)
        commands_in.send(("stop",))
        serve(commands_out, results_in)
    """)
        == 1
    )
