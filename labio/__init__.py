"""The lab's file conventions, shared by every package: atomic writes and JSON numbers.

:mod:`labio.atomic` writes files atomically (temporary name, then :func:`os.replace`);
:mod:`labio.jsonable` is the one convention for infinite and NaN numbers in JSON. It
imports nothing of the lab (``synthetic``, ``theory`` and ``figures`` all import it).
"""
