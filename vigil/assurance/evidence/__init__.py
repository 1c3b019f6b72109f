"""The evidence metric of every point A–T, declared once each (see metrics.py).

Each is an exact query on what the operational apps record. "Due in the period" metrics
count the records whose deadline fell inside the period and had passed by the as-of
moment; the numerator is those done by their deadline. Point-in-time metrics (B's open
investigations, L's outstanding work, H's records) count what was open at the moment.

Each point's metrics live in the module named for its records; importing this package
declares them all, in the order the dashboard lists them within a point.
"""

from vigil.assurance.evidence import (  # noqa: F401
    investigations,
    nominals,
    referrals,
    register,
    visits,
    work,
)
