-- A device's schema: the hub's tables in SQLite's types (times and dates as ISO-8601 text, as
-- shuttle-jpa has Hibernate write them on SQLite).
CREATE TABLE technician (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    phone      TEXT,
    updated_at TEXT,
    version    INTEGER NOT NULL,
    deleted_at TEXT
);

CREATE TABLE work_order (
    id            INTEGER PRIMARY KEY,
    title         TEXT NOT NULL,
    site          TEXT NOT NULL,
    status        TEXT NOT NULL,
    notes         TEXT,
    due_on        TEXT,
    technician_id INTEGER REFERENCES technician (id),
    updated_at    TEXT,
    version       INTEGER NOT NULL,
    deleted_at    TEXT
);
