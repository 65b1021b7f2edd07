"""The ``hedge`` command.

``main`` (the commands), ``options`` (their shared flags), ``helptext``, ``console``
(progress and error lines) and ``sources`` (the inputs a command reads). Library errors
become one-line messages here, at the edge.
"""
