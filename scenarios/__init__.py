"""Built-in scenarios: one module per case of the report, plus ``baseline``.

Each module defines ``SCENARIO``, a :class:`govsim.scenario.Scenario`, and imports only
govsim's public API.
"""
