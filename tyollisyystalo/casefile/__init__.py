"""The client card: a composition at the top of the import graph.

It decides access once (``access.client_access``), asks every record app for its section
through the registry (``access.sections``), logs all reads with one append, and draws the page
or the API answer. No record app imports this app.
"""
