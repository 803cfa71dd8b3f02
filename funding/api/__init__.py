"""The REST API (v1) for programmes, calls and projects."""
