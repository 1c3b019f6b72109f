"""The demand app's writes (one module per sub-domain)."""
