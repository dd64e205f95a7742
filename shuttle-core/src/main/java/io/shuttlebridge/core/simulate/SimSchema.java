package io.shuttlebridge.core.simulate;

import java.util.List;

/**
 * The simulated schema: customers referring to customers (a self-reference), orders referring to
 * customers, order lines referring to orders. {@code tables} keeps the first 1, 2 or 3.
 */
public final class SimSchema {
    private static final List<String> NAMES = List.of("customer", "orders", "order_line");
    private static final List<String> DDL = List.of(
            "CREATE TABLE customer (id INTEGER PRIMARY KEY, name TEXT, city TEXT, referred_by INTEGER REFERENCES customer(id))",
            "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customer(id), total INTEGER, note TEXT)",
            "CREATE TABLE order_line (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL REFERENCES orders(id), sku TEXT, qty INTEGER)");

    private SimSchema() {}

    /** Table names, parents first. */
    public static List<String> tables(int count) {
        return NAMES.subList(0, count);
    }

    /** The tables' DDL as written for SQLite. */
    public static String[] ddl(int count) {
        return DDL.subList(0, count).toArray(String[]::new);
    }

    /**
     * The tables' DDL for the dialect named {@code dialect} ({@code Dialect.name()}): on PostgreSQL
     * the integers are {@code BIGINT}, 64 bits like SQLite's, so values compare equal across replicas.
     */
    public static String[] ddl(int count, String dialect) {
        String[] out = ddl(count);
        if (dialect.equals("postgresql")) {
            for (int i = 0; i < out.length; i++) {
                out[i] = out[i].replace(" INTEGER", " BIGINT");
            }
        }
        return out;
    }
}
