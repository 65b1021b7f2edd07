"""The hostile audit (issue 24), kept: each test is one case that once failed.

Every case runs the ``hedge`` command (in-process, or in a subprocess when it needs a
memory limit, a pipe or a file descriptor limit) or the library door it names, and
checks the promise the README makes: one error line, no input overwritten, bounded
memory.
"""
