"""Rules, queries, reports, imports and exports. Never imports Qt."""
