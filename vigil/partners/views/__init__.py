"""Partnership pages, one module per sub-domain (requests, agreements, reviews). Each view
parses input, loads through a scoped selector (404 for missing and forbidden alike), calls
one service or selector and renders; every page is audited."""
