-- SQLite has no exact decimal type: Bridge writes decimals as exact text, so money columns are TEXT here.
CREATE TABLE customer (customer_no TEXT PRIMARY KEY, name TEXT NOT NULL, balance TEXT, customer_since TEXT,
    status TEXT, country TEXT, erp_changed_at TEXT);
CREATE TABLE customer_order (order_no INTEGER PRIMARY KEY, customer_no TEXT NOT NULL REFERENCES customer (customer_no),
    total TEXT, ordered_on TEXT);
