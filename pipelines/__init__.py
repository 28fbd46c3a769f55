"""Ingestion: practice exports (standard format, Open Dental) into DuckDB."""
