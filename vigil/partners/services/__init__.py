"""Writes of the partnership, one module per sub-domain: agreements (regions, agreements
and their versions), requests (raise, acknowledge, respond, decline, rate) and reviews.
Each is keyword-only, atomic, audited, and opens or closes its duties in the same
transaction."""
