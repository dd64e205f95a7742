-- A schema with every kind of key the workload must handle:
-- a text primary key (warehouse), a self-reference (category.parent), a composite primary key of a foreign key and
-- a text column (bin), and a two-table foreign-key chain below it (stock -> bin -> warehouse, stock -> category).
CREATE TABLE warehouse (
    code TEXT PRIMARY KEY,            -- text key
    name TEXT NOT NULL,
    opened DATE
);

CREATE TABLE category (
    id INTEGER PRIMARY KEY,
    label TEXT,
    parent INTEGER REFERENCES category(id)   -- self-reference; 'a;b' in a comment does not end the statement
);

CREATE TABLE bin (
    warehouse TEXT NOT NULL REFERENCES warehouse(code),
    slot TEXT NOT NULL,
    capacity REAL,
    PRIMARY KEY (warehouse, slot)     -- composite key
);

CREATE TABLE stock (
    id INTEGER PRIMARY KEY,
    warehouse TEXT NOT NULL,
    slot TEXT NOT NULL,
    category INTEGER REFERENCES category(id),
    qty INTEGER NOT NULL CHECK (qty > 0),
    price NUMERIC(10, 2),
    photo BLOB,
    note TEXT DEFAULT 'none;yet',
    FOREIGN KEY (warehouse, slot) REFERENCES bin(warehouse, slot)
);
CREATE INDEX stock_by_bin ON stock (warehouse, slot);
