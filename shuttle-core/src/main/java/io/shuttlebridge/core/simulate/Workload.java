package io.shuttlebridge.core.simulate;

import java.util.Random;

/**
 * Random application writes on a small key space, so replicas collide: customer upserts, city
 * edits, referrals (the self-reference) and deletes; orders and order lines inserted under an
 * existing parent, edited and deleted. Deletes take their children first, as an application with
 * foreign keys on must.
 */
public final class Workload {
    /** The kind of a generated write. */
    public enum Kind {
        INSERT,
        UPDATE,
        DELETE
    }

    private static final int CUSTOMERS = 8;
    private static final int ORDERS = 12;
    private static final int LINES = 16;

    private final int tables;
    private final Random random;

    public Workload(int tables, Random random) {
        this.tables = tables;
        this.random = random;
    }

    /** Makes one random write on {@code node}; {@code step} makes the written values distinct. */
    public Kind write(SimCluster.Node node, int step) {
        int choices = switch (tables) {
            case 1 -> 4;
            case 2 -> 7;
            default -> 10;
        };
        long c = 1 + random.nextInt(CUSTOMERS);
        long o = 100 + random.nextInt(ORDERS);
        long l = 1000 + random.nextInt(LINES);
        switch (random.nextInt(choices)) {
            case 0 -> {
                node.sql(deleteCustomer(c));
                return Kind.DELETE;
            }
            case 1 -> {
                node.sql("INSERT INTO customer (id, name, city) VALUES (" + c + ", 'n" + step + "', 'c" + step
                        + "') ON CONFLICT (id) DO UPDATE SET name = excluded.name");
                return Kind.INSERT;
            }
            case 2 -> {
                node.sql("UPDATE customer SET city = 'city" + step + "' WHERE id = " + c);
                return Kind.UPDATE;
            }
            case 3 -> {
                long r = 1 + random.nextInt(CUSTOMERS);
                node.sql("UPDATE customer SET referred_by = (SELECT id FROM customer WHERE id = " + r + ") WHERE id = "
                        + c);
                return Kind.UPDATE;
            }
            case 4 -> {
                node.sql("INSERT OR IGNORE INTO orders (id, customer_id, total, note) SELECT " + o + ", id, " + step
                        + ", 'o" + step + "' FROM customer WHERE id = " + c);
                return Kind.INSERT;
            }
            case 5 -> {
                node.sql("UPDATE orders SET total = " + step + " WHERE id = " + o);
                return Kind.UPDATE;
            }
            case 6 -> {
                node.sql(deleteOrder("id = " + o));
                return Kind.DELETE;
            }
            case 7 -> {
                node.sql("INSERT OR IGNORE INTO order_line (id, order_id, sku, qty) SELECT " + l + ", id, 'sku" + step
                        + "', " + step + " FROM orders WHERE id = " + o);
                return Kind.INSERT;
            }
            case 8 -> {
                node.sql("UPDATE order_line SET qty = " + step + " WHERE id = " + l);
                return Kind.UPDATE;
            }
            default -> {
                node.sql("DELETE FROM order_line WHERE id = " + l);
                return Kind.DELETE;
            }
        }
    }

    private String[] deleteCustomer(long id) {
        String[] orders = deleteOrder("customer_id = " + id);
        String[] out = new String[orders.length + 2];
        out[0] = "UPDATE customer SET referred_by = NULL WHERE referred_by = " + id + " AND id <> " + id;
        System.arraycopy(orders, 0, out, 1, orders.length);
        out[out.length - 1] = "DELETE FROM customer WHERE id = " + id;
        return out;
    }

    private String[] deleteOrder(String where) {
        if (tables < 2) {
            return new String[0];
        }
        String orders = "DELETE FROM orders WHERE " + where;
        if (tables < 3) {
            return new String[] {orders};
        }
        return new String[] {
            "DELETE FROM order_line WHERE order_id IN (SELECT id FROM orders WHERE " + where + ")", orders
        };
    }
}
