-- The hub's schema. id, updated_at, version and deleted_at are SyncEntity's columns.
CREATE TABLE technician (
    id         BIGINT PRIMARY KEY,
    name       TEXT NOT NULL,
    phone      TEXT,
    updated_at TIMESTAMPTZ,
    version    BIGINT NOT NULL,
    deleted_at TIMESTAMPTZ
);

CREATE TABLE work_order (
    id            BIGINT PRIMARY KEY,
    title         TEXT NOT NULL,
    site          TEXT NOT NULL,
    status        TEXT NOT NULL,
    notes         TEXT,
    due_on        DATE,
    technician_id BIGINT REFERENCES technician (id),
    updated_at    TIMESTAMPTZ,
    version       BIGINT NOT NULL,
    deleted_at    TIMESTAMPTZ
);
