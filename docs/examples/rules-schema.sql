-- The example of docs/rules.md, for PostgreSQL (psql -f) or SQLite (sqlite3 hub.db < this file).
CREATE TABLE project (id bigint PRIMARY KEY, tenant text NOT NULL, name text NOT NULL);
CREATE TABLE project_member (
  project_id bigint NOT NULL REFERENCES project (id),
  user_id text NOT NULL,
  role text NOT NULL,
  PRIMARY KEY (project_id, user_id));
CREATE TABLE task (
  id bigint PRIMARY KEY,
  project_id bigint NOT NULL REFERENCES project (id),
  title text,
  internal_cost numeric(10, 2));
CREATE TABLE catalog (sku text PRIMARY KEY, price numeric(10, 2));
-- the rules look rows up by these columns
CREATE INDEX project_member_user ON project_member (user_id);
CREATE INDEX task_project ON task (project_id);

INSERT INTO project VALUES (1, 'acme', 'apollo'), (2, 'acme', 'artemis'), (3, 'globex', 'borealis');
INSERT INTO project_member VALUES (1, 'alice', 'owner'), (2, 'carol', 'owner'), (3, 'bob', 'owner');
INSERT INTO task VALUES (10, 1, 'design review', 120.00), (11, 1, 'ship it', 80.00),
  (20, 2, 'launch plan', 300.00), (21, 2, 'press kit', 40.00), (30, 3, 'survey', 55.00);
INSERT INTO catalog VALUES ('pen', 1.50), ('ink', 4.00);
