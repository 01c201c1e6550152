"""The processes a run starts: black's pool workers, which end with the run however it ends, and whether
a process is alive (the writer asks it of the run that left a staging folder behind).
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time


def worker_starts(main_pid: int) -> None:
    """A worker ends when it is told to and when the run it works for ends, however that ends.

    SIGINT and SIGTERM end it, as they end any process (Ctrl-C reaches the whole process group: the
    main process cancels the work and the workers just end; a worker that ends alone breaks the pool,
    and the main process formats the rest itself). The main process ending, even by SIGKILL, which
    leaves it no chance to shut the pool down, ends it too: on Linux the kernel sends it SIGKILL
    (PR_SET_PDEATHSIG); elsewhere, and as a second guard, a thread of its own sees its parent gone.
    Orphans lived on under PID 1, about 160 MB each, two more per killed run.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):  # forked while the parent held them back (_signals_held)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
    parent = os.getppid()  # the main process, or the server that forks workers for it
    _die_with_parent()
    if not alive(main_pid) or os.getppid() != parent:  # it ended before the guards were up
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(main_pid, parent), daemon=True, name="watch-parent").start()


# prctl(2): deliver a signal to this process when the thread that created it ends.
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """Asks Linux to SIGKILL this process when its parent ends; elsewhere, does nothing."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # no prctl here: the watching thread is the guard


_WATCH_INTERVAL = 0.5  # seconds


def _watch_parent(main_pid: int, parent: int) -> None:
    """Ends this worker once its parent or the main process is gone (reparented: another parent)."""
    while True:
        time.sleep(_WATCH_INTERVAL)
        if os.getppid() != parent or not alive(main_pid):
            os._exit(1)


def alive(pid: int) -> bool:
    """Whether a process runs (one of another user's counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        pass
    return True
