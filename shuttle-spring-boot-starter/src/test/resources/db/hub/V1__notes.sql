CREATE TABLE note (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    body TEXT,
    due DATE,
    updated_at TIMESTAMPTZ
);
