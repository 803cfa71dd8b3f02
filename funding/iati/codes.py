"""IATI codes the portal names outside the import too (the listings' filters), in a module of their
own: a web worker imports them without the parser (lxml) the import needs."""

CENTRAL_ASIA_REGION = "619"  # the OECD DAC's "Central Asia, regional"
