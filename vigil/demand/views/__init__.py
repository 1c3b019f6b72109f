"""Demand forecast pages (one module per sub-domain)."""
