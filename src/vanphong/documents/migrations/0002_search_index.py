"""The full-text index over DocumentText, kept in step by the database itself (documents.search).

SQLite: an FTS5 table with external content (the text lives once, in documents_documenttext) and
triggers that follow every insert, update and delete. The tokenizer does not fold diacritics: the
``folded`` column is already folded in Python (FTS5 cannot fold đ), and ``exact`` must keep them.

PostgreSQL: a stored generated tsvector column with a GIN index. Non-alphanumeric runs are turned into
spaces first, so the parser sees the same words as Python does ("nq-hđnd" would otherwise become the
lexemes 'nq-h' and 'đnd'). ``folded`` comes first because positions stop at 16383: phrases are
matched folded, so that is where positions must stay exact in long documents.

Warning for later migrations: on SQLite, altering documents_documenttext makes Django rebuild the table,
which drops these triggers; on PostgreSQL, changing the type of exact/folded/symbols needs the generated
column dropped first. Recreate them in the same migration.
"""

from django.db import migrations

SQLITE_CREATE = [
    """
    CREATE VIRTUAL TABLE documents_search USING fts5(
        exact, folded, symbols,
        content='documents_documenttext', content_rowid='document_id',
        tokenize='unicode61 remove_diacritics 0'
    )
    """,
    """
    CREATE TRIGGER documents_search_insert AFTER INSERT ON documents_documenttext BEGIN
        INSERT INTO documents_search(rowid, exact, folded, symbols)
        VALUES (new.document_id, new.exact, new.folded, new.symbols);
    END
    """,
    """
    CREATE TRIGGER documents_search_delete AFTER DELETE ON documents_documenttext BEGIN
        INSERT INTO documents_search(documents_search, rowid, exact, folded, symbols)
        VALUES ('delete', old.document_id, old.exact, old.folded, old.symbols);
    END
    """,
    # Only when the text changed: saving updated_at alone must not rewrite the index entry.
    """
    CREATE TRIGGER documents_search_update AFTER UPDATE ON documents_documenttext
    WHEN old.exact IS NOT new.exact OR old.folded IS NOT new.folded OR old.symbols IS NOT new.symbols
      OR old.document_id IS NOT new.document_id
    BEGIN
        INSERT INTO documents_search(documents_search, rowid, exact, folded, symbols)
        VALUES ('delete', old.document_id, old.exact, old.folded, old.symbols);
        INSERT INTO documents_search(rowid, exact, folded, symbols)
        VALUES (new.document_id, new.exact, new.folded, new.symbols);
    END
    """,
    # Rows written before this migration.
    "INSERT INTO documents_search(documents_search) VALUES ('rebuild')",
]

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS documents_search_update",
    "DROP TRIGGER IF EXISTS documents_search_delete",
    "DROP TRIGGER IF EXISTS documents_search_insert",
    "DROP TABLE IF EXISTS documents_search",
]

POSTGRES_CREATE = [
    r"""
    ALTER TABLE documents_documenttext ADD COLUMN search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, regexp_replace(folded, '[^[:alnum:]]+', ' ', 'g')), 'B')
        || setweight(to_tsvector('simple'::regconfig, symbols), 'A')
        || setweight(to_tsvector('simple'::regconfig, regexp_replace(exact, '[^[:alnum:]]+', ' ', 'g')), 'A')
    ) STORED
    """,
    "CREATE INDEX documents_documenttext_search ON documents_documenttext USING GIN (search)",
]

POSTGRES_DROP = [
    "DROP INDEX IF EXISTS documents_documenttext_search",
    "ALTER TABLE documents_documenttext DROP COLUMN IF EXISTS search",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
            elidable=False,
        ),
    ]
