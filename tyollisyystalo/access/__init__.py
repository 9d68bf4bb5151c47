"""The access layer: the one door to client data.

``policy`` is the role table (pure, importable from ``staff.models``); ``gatekeeper`` holds the
decisions over one client's loaded facts; ``client_access`` decides once per request which
(owner organisation, category) pairs a reader may see and hands that as one immutable
``ClientAccess`` to the sections of a page; ``sections`` is the registry the client card is
composed from; ``log`` writes the reads of a whole request with one append.

This package sits below every app that holds client data and above their models. It imports
nothing here at package level, so ``staff.models`` can import ``access.policy`` without a cycle.
"""
