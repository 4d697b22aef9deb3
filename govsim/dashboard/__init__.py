"""A browser dashboard for students and workshops: ``govsim dashboard``.

Needs the ``dashboard`` extra (``pip install 'govsim[dashboard]'``). The computation is in
:mod:`govsim.dashboard.engine` (no web code), the page in :mod:`govsim.dashboard.app`
(Solara, the web stack of Mesa's SolaraViz), the server start in
:mod:`govsim.dashboard.server`.
"""
