CREATE TABLE note (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    body TEXT,
    due TEXT,
    updated_at TEXT
);
