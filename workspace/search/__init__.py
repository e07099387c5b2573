"""Search across everything a person may see: an index kept in step with the items, one
interface over SQLite FTS5 and PostgreSQL full-text search."""
