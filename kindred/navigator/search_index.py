"""SQLite's full-text index of services: an FTS5 table kept in step by triggers.

PostgreSQL needs none of this (search uses its built-in full-text search). Django rebuilds a
SQLite table to alter it, which drops its triggers, so `ensure` runs after every migrate and
puts back anything missing.
"""

TABLE = "navigator_service_fts"
TRIGGERS = {
    "navigator_service_fts_insert": """CREATE TRIGGER navigator_service_fts_insert
        AFTER INSERT ON navigator_service BEGIN
        INSERT INTO navigator_service_fts(rowid, name, search_text)
        VALUES (new.id, new.name, new.search_text);
    END""",
    "navigator_service_fts_delete": """CREATE TRIGGER navigator_service_fts_delete
        AFTER DELETE ON navigator_service BEGIN
        INSERT INTO navigator_service_fts(navigator_service_fts, rowid, name, search_text)
        VALUES ('delete', old.id, old.name, old.search_text);
    END""",
    "navigator_service_fts_update": """CREATE TRIGGER navigator_service_fts_update
        AFTER UPDATE ON navigator_service BEGIN
        INSERT INTO navigator_service_fts(navigator_service_fts, rowid, name, search_text)
        VALUES ('delete', old.id, old.name, old.search_text);
        INSERT INTO navigator_service_fts(rowid, name, search_text)
        VALUES (new.id, new.name, new.search_text);
    END""",
}
CREATE_TABLE = """CREATE VIRTUAL TABLE navigator_service_fts USING fts5(
    name, search_text, content='navigator_service', content_rowid='id',
    tokenize='porter unicode61 remove_diacritics 2')"""
REBUILD = "INSERT INTO navigator_service_fts(navigator_service_fts) VALUES ('rebuild')"


def _existing(cursor) -> set[str]:
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') AND name LIKE %s",
        [f"{TABLE}%"],
    )
    return {row[0] for row in cursor.fetchall()}


def ensure(connection) -> bool:
    """Create the index table and triggers where missing; True when anything was made."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        existing = _existing(cursor)
        missing = [name for name in [TABLE, *TRIGGERS] if name not in existing]
        if not missing:
            return False
        if TABLE in missing:
            cursor.execute(CREATE_TABLE)
        for name in missing:
            if name in TRIGGERS:
                cursor.execute(TRIGGERS[name])
        cursor.execute(REBUILD)
    return True


def remove(connection) -> None:
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for name in TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")
