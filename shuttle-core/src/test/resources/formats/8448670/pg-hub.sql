--
-- PostgreSQL database dump
--


-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: _shuttle_capture_1(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public._shuttle_capture_1() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO '$user', 'public'
    AS $$
DECLARE
  at bigint := (floor(extract(epoch FROM clock_timestamp()) * 1000))::bigint << 16;
  logged bigint;
BEGIN
  IF current_setting('shuttle.applying', true) = 'on' THEN RETURN NULL; END IF;
  IF TG_OP = 'DELETE' THEN
    INSERT INTO _shuttle_log (tbl, pk, op, hlc, scope) VALUES (1, (OLD."id")::text, 2, at, NULL);
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' THEN
    IF NOT (OLD."id" IS DISTINCT FROM NEW."id" OR OLD."name" IS DISTINCT FROM NEW."name") THEN RETURN NULL; END IF;
    IF OLD."id" IS DISTINCT FROM NEW."id" THEN INSERT INTO _shuttle_log (tbl, pk, op, hlc, scope) VALUES (1, (OLD."id")::text, 2, at, NULL); END IF;
  END IF;
  INSERT INTO _shuttle_log (tbl, pk, op, hlc, scope) VALUES (1, (NEW."id")::text, 1, at, NULL) RETURNING seq INTO logged;
  RETURN NULL;
END
$$;


--
-- Name: _shuttle_capture_2(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public._shuttle_capture_2() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO '$user', 'public'
    AS $$
DECLARE
  at bigint := (floor(extract(epoch FROM clock_timestamp()) * 1000))::bigint << 16;
  logged bigint;
BEGIN
  IF current_setting('shuttle.applying', true) = 'on' THEN RETURN NULL; END IF;
  IF TG_OP = 'DELETE' THEN
    INSERT INTO _shuttle_log (tbl, pk, op, hlc, scope) VALUES (2, jsonb_build_array((OLD."project_id")::text, (OLD."label")::text)::text, 2, at, NULL);
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' THEN
    IF NOT (OLD."project_id" IS DISTINCT FROM NEW."project_id" OR OLD."label" IS DISTINCT FROM NEW."label") THEN RETURN NULL; END IF;
    IF OLD."project_id" IS DISTINCT FROM NEW."project_id" OR OLD."label" IS DISTINCT FROM NEW."label" THEN INSERT INTO _shuttle_log (tbl, pk, op, hlc, scope) VALUES (2, jsonb_build_array((OLD."project_id")::text, (OLD."label")::text)::text, 2, at, NULL); END IF;
  END IF;
  INSERT INTO _shuttle_log (tbl, pk, op, hlc, scope) VALUES (2, jsonb_build_array((NEW."project_id")::text, (NEW."label")::text)::text, 1, at, NULL) RETURNING seq INTO logged;
  RETURN NULL;
END
$$;


--
-- Name: _shuttle_capture_3(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public._shuttle_capture_3() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO '$user', 'public'
    AS $$
DECLARE
  at bigint := (floor(extract(epoch FROM clock_timestamp()) * 1000))::bigint << 16;
  logged bigint;
BEGIN
  IF current_setting('shuttle.applying', true) = 'on' THEN RETURN NULL; END IF;
  IF TG_OP = 'DELETE' THEN
    INSERT INTO _shuttle_log (tbl, pk, op, hlc, scope) VALUES (3, (OLD."id")::text, 2, at, NULL);
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' THEN
    IF NOT (OLD."id" IS DISTINCT FROM NEW."id" OR OLD."project_id" IS DISTINCT FROM NEW."project_id" OR OLD."title" IS DISTINCT FROM NEW."title" OR OLD."done" IS DISTINCT FROM NEW."done") THEN RETURN NULL; END IF;
    IF OLD."id" IS DISTINCT FROM NEW."id" THEN INSERT INTO _shuttle_log (tbl, pk, op, hlc, scope) VALUES (3, (OLD."id")::text, 2, at, NULL); END IF;
  END IF;
  INSERT INTO _shuttle_log (tbl, pk, op, hlc, scope) VALUES (3, (NEW."id")::text, 1, at, NULL) RETURNING seq INTO logged;
  RETURN NULL;
END
$$;


--
-- Name: _shuttle_fold(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public._shuttle_fold() RETURNS bigint
    LANGUAGE plpgsql
    SET search_path TO '$user', 'public'
    AS $$
DECLARE folded bigint;
BEGIN
  PERFORM pg_advisory_xact_lock(1936225652, hashtext(current_schema()));
  IF NOT EXISTS (SELECT 1 FROM _shuttle_log) THEN RETURN 0; END IF;
  WITH moved AS (DELETE FROM _shuttle_log RETURNING *),
  clock AS (SELECT seq, hlc FROM _shuttle_clock WHERE id = 1),
  ordered AS (SELECT m.*, row_number() OVER (ORDER BY m.seq) AS rn FROM moved m),
  stamped AS (SELECT o.*, CASE WHEN o.origin IS NULL THEN o.rn + greatest((SELECT hlc FROM clock), max(o.hlc - o.rn) OVER (ORDER BY o.rn ROWS UNBOUNDED PRECEDING)) ELSE o.hlc END AS stamp FROM ordered o),
  grouped AS (SELECT tbl, pk, max(rn) AS rn, count(*) AS n FROM stamped WHERE tbl > 0 GROUP BY tbl, pk),
  latest AS (SELECT s.*, g.n, row_number() OVER (ORDER BY s.rn) AS fn FROM grouped g JOIN stamped s ON s.rn = g.rn),
  feed AS (INSERT INTO _shuttle_feed (tbl, pk, seq, op, hlc, origin, version, base, scope, via)
    SELECT l.tbl, l.pk, (SELECT seq FROM clock) + l.fn, l.op, l.stamp, coalesce(l.origin, 0),
      CASE WHEN l.origin IS NULL THEN coalesce(f.version, 0) + l.n ELSE l.version END,
      CASE WHEN l.origin IS NOT NULL THEN coalesce(l.base, l.version) WHEN f.origin IS NULL THEN 0 WHEN f.origin = 0 THEN f.base ELSE f.version END, l.scope, l.via
    FROM latest l LEFT JOIN _shuttle_feed f ON f.tbl = l.tbl AND f.pk = l.pk
    ON CONFLICT (tbl, pk) DO UPDATE SET seq = excluded.seq, op = excluded.op, hlc = excluded.hlc, origin = excluded.origin, version = excluded.version, base = excluded.base, scope = excluded.scope, via = excluded.via RETURNING 1),
  cols AS (UPDATE _shuttle_colclock c SET hlc = s.stamp, origin = 0 FROM stamped s WHERE c.origin = -1 AND c.hlc = s.seq RETURNING 1)
  UPDATE _shuttle_clock SET seq = seq + (SELECT count(*) FROM latest), hlc = greatest(hlc, coalesce((SELECT max(stamp) FROM stamped), hlc)) WHERE id = 1;
  GET DIAGNOSTICS folded = ROW_COUNT;
  PERFORM pg_notify('shuttle_feed', current_schema());
  RETURN folded;
END $$;


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: _shuttle_clock; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public._shuttle_clock (
    id integer NOT NULL,
    seq bigint NOT NULL,
    hlc bigint NOT NULL
);


--
-- Name: _shuttle_colclock; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public._shuttle_colclock (
    tbl integer NOT NULL,
    pk text NOT NULL,
    col text NOT NULL,
    hlc bigint NOT NULL,
    origin integer NOT NULL
);


--
-- Name: _shuttle_conflicts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public._shuttle_conflicts (
    id bigint NOT NULL,
    tbl text NOT NULL,
    key_json text NOT NULL,
    policy text NOT NULL,
    local_json text,
    local_hlc bigint,
    local_origin text,
    local_version bigint,
    remote_json text,
    remote_hlc bigint,
    remote_origin text,
    remote_version bigint,
    remote_base bigint,
    detected_at text NOT NULL,
    status text NOT NULL,
    resolution text,
    resolved_at text
);


--
-- Name: _shuttle_conflicts_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public._shuttle_conflicts ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public._shuttle_conflicts_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: _shuttle_feed; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public._shuttle_feed (
    tbl integer NOT NULL,
    pk text NOT NULL,
    seq bigint NOT NULL,
    op integer NOT NULL,
    hlc bigint NOT NULL,
    origin integer NOT NULL,
    version bigint NOT NULL,
    base bigint NOT NULL,
    scope text,
    via integer
);


--
-- Name: _shuttle_leases; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public._shuttle_leases (
    short_id integer NOT NULL,
    device_key text NOT NULL,
    node_uuid text NOT NULL,
    leased_at bigint NOT NULL,
    expires_at bigint NOT NULL
);


--
-- Name: _shuttle_log; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public._shuttle_log (
    seq bigint NOT NULL,
    tbl integer NOT NULL,
    pk text,
    op integer NOT NULL,
    hlc bigint NOT NULL,
    scope text,
    origin integer,
    version bigint,
    via integer,
    base bigint
);


--
-- Name: _shuttle_log_seq_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public._shuttle_log_seq_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: _shuttle_log_seq_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public._shuttle_log_seq_seq OWNED BY public._shuttle_log.seq;


--
-- Name: _shuttle_meta; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public._shuttle_meta (
    key text NOT NULL,
    value text
);


--
-- Name: _shuttle_nodes; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public._shuttle_nodes (
    id integer NOT NULL,
    uuid text NOT NULL
);


--
-- Name: _shuttle_peers; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public._shuttle_peers (
    peer text NOT NULL,
    last_pulled bigint DEFAULT 0 NOT NULL,
    last_pushed bigint DEFAULT 0 NOT NULL,
    acked bigint DEFAULT 0 NOT NULL,
    last_sync_at text,
    last_outcome text
);


--
-- Name: _shuttle_pending; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public._shuttle_pending (
    tbl text NOT NULL,
    key_json text NOT NULL,
    change_json text NOT NULL,
    via text,
    reason text NOT NULL,
    attempts integer NOT NULL,
    first_seen text NOT NULL
);


--
-- Name: _shuttle_tables; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public._shuttle_tables (
    id integer NOT NULL,
    name text NOT NULL,
    policy text NOT NULL,
    scope_column text,
    excluded text DEFAULT ''::text NOT NULL
);


--
-- Name: project; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.project (
    id bigint NOT NULL,
    name text NOT NULL
);


--
-- Name: tag; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.tag (
    project_id bigint NOT NULL,
    label text NOT NULL
);


--
-- Name: task; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.task (
    id bigint NOT NULL,
    project_id bigint NOT NULL,
    title text NOT NULL,
    done integer DEFAULT 0 NOT NULL
);


--
-- Name: _shuttle_log seq; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public._shuttle_log ALTER COLUMN seq SET DEFAULT nextval('public._shuttle_log_seq_seq'::regclass);


--
-- Data for Name: _shuttle_clock; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public._shuttle_clock VALUES (1, 15, 117731440247504896);


--
-- Data for Name: _shuttle_colclock; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: _shuttle_conflicts; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: _shuttle_feed; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public._shuttle_feed VALUES (1, '2', 2, 1, 117731439348940801, 0, 1, 0, NULL, NULL);
INSERT INTO public._shuttle_feed VALUES (2, '["1", "urgent"]', 3, 1, 117731439349465088, 0, 1, 0, NULL, NULL);
INSERT INTO public._shuttle_feed VALUES (2, '["2", "outdoor"]', 4, 1, 117731439349465089, 0, 1, 0, NULL, NULL);
INSERT INTO public._shuttle_feed VALUES (3, '2', 6, 1, 117731439349727233, 0, 1, 0, NULL, NULL);
INSERT INTO public._shuttle_feed VALUES (1, '1', 9, 1, 117731439676555264, 1, 2, 1, NULL, 1);
INSERT INTO public._shuttle_feed VALUES (3, '5', 10, 1, 117731439676424192, 1, 1, 0, NULL, 1);
INSERT INTO public._shuttle_feed VALUES (3, '4', 11, 2, 117731439676555265, 1, 2, 1, NULL, 1);
INSERT INTO public._shuttle_feed VALUES (2, '["2", "weekend"]', 12, 1, 117731439954034688, 2, 1, 0, NULL, 2);
INSERT INTO public._shuttle_feed VALUES (3, '1', 13, 1, 117731439953838080, 2, 2, 1, NULL, 2);
INSERT INTO public._shuttle_feed VALUES (1, '3', 14, 1, 117731440247439360, 0, 1, 0, NULL, NULL);
INSERT INTO public._shuttle_feed VALUES (3, '3', 15, 1, 117731440247504896, 0, 2, 0, NULL, NULL);


--
-- Data for Name: _shuttle_leases; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public._shuttle_leases VALUES (0, '4f1c8b18-109c-4f6b-a21b-e2170bb41942', '4f1c8b18-109c-4f6b-a21b-e2170bb41942', 1796439201771, 1797044001771);
INSERT INTO public._shuttle_leases VALUES (1, 'a1f2b36e-544b-4d6b-8d3f-277f1fec4f99', 'a1f2b36e-544b-4d6b-8d3f-277f1fec4f99', 1796439203612, 1797044003612);


--
-- Data for Name: _shuttle_log; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: _shuttle_meta; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public._shuttle_meta VALUES ('node_uuid', 'a6c16bc7-f6c4-4c6c-bfe7-26e95eaa6542');
INSERT INTO public._shuttle_meta VALUES ('format', '1');


--
-- Data for Name: _shuttle_nodes; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public._shuttle_nodes VALUES (0, 'a6c16bc7-f6c4-4c6c-bfe7-26e95eaa6542');
INSERT INTO public._shuttle_nodes VALUES (1, '4f1c8b18-109c-4f6b-a21b-e2170bb41942');
INSERT INTO public._shuttle_nodes VALUES (2, 'a1f2b36e-544b-4d6b-8d3f-277f1fec4f99');


--
-- Data for Name: _shuttle_peers; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public._shuttle_peers VALUES ('4f1c8b18-109c-4f6b-a21b-e2170bb41942', 0, 0, 8, NULL, NULL);
INSERT INTO public._shuttle_peers VALUES ('a1f2b36e-544b-4d6b-8d3f-277f1fec4f99', 0, 0, 11, NULL, NULL);


--
-- Data for Name: _shuttle_pending; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: _shuttle_tables; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public._shuttle_tables VALUES (1, 'project', 'LWW', NULL, '[]');
INSERT INTO public._shuttle_tables VALUES (2, 'tag', 'LWW', NULL, '[]');
INSERT INTO public._shuttle_tables VALUES (3, 'task', 'LWW', NULL, '[]');


--
-- Data for Name: project; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.project VALUES (2, 'Garden');
INSERT INTO public.project VALUES (1, 'Launch party');
INSERT INTO public.project VALUES (3, 'Written on the hub');


--
-- Data for Name: tag; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.tag VALUES (1, 'urgent');
INSERT INTO public.tag VALUES (2, 'outdoor');
INSERT INTO public.tag VALUES (2, 'weekend');


--
-- Data for Name: task; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.task VALUES (2, 1, 'Book the room', 0);
INSERT INTO public.task VALUES (5, 1, 'Print flyers', 0);
INSERT INTO public.task VALUES (1, 1, 'Write the plan', 1);
INSERT INTO public.task VALUES (3, 2, 'Buy seeds and soil', 0);


--
-- Name: _shuttle_conflicts_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public._shuttle_conflicts_id_seq', 1, false);


--
-- Name: _shuttle_log_seq_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public._shuttle_log_seq_seq', 7, true);


--
-- Name: _shuttle_clock _shuttle_clock_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public._shuttle_clock
    ADD CONSTRAINT _shuttle_clock_pkey PRIMARY KEY (id);


--
-- Name: _shuttle_colclock _shuttle_colclock_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public._shuttle_colclock
    ADD CONSTRAINT _shuttle_colclock_pkey PRIMARY KEY (tbl, pk, col);


--
-- Name: _shuttle_conflicts _shuttle_conflicts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public._shuttle_conflicts
    ADD CONSTRAINT _shuttle_conflicts_pkey PRIMARY KEY (id);


--
-- Name: _shuttle_feed _shuttle_feed_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public._shuttle_feed
    ADD CONSTRAINT _shuttle_feed_pkey PRIMARY KEY (tbl, pk);


--
-- Name: _shuttle_leases _shuttle_leases_device_key_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public._shuttle_leases
    ADD CONSTRAINT _shuttle_leases_device_key_key UNIQUE (device_key);


--
-- Name: _shuttle_leases _shuttle_leases_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public._shuttle_leases
    ADD CONSTRAINT _shuttle_leases_pkey PRIMARY KEY (short_id);


--
-- Name: _shuttle_log _shuttle_log_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public._shuttle_log
    ADD CONSTRAINT _shuttle_log_pkey PRIMARY KEY (seq);


--
-- Name: _shuttle_meta _shuttle_meta_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public._shuttle_meta
    ADD CONSTRAINT _shuttle_meta_pkey PRIMARY KEY (key);


--
-- Name: _shuttle_nodes _shuttle_nodes_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public._shuttle_nodes
    ADD CONSTRAINT _shuttle_nodes_pkey PRIMARY KEY (id);


--
-- Name: _shuttle_nodes _shuttle_nodes_uuid_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public._shuttle_nodes
    ADD CONSTRAINT _shuttle_nodes_uuid_key UNIQUE (uuid);


--
-- Name: _shuttle_peers _shuttle_peers_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public._shuttle_peers
    ADD CONSTRAINT _shuttle_peers_pkey PRIMARY KEY (peer);


--
-- Name: _shuttle_pending _shuttle_pending_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public._shuttle_pending
    ADD CONSTRAINT _shuttle_pending_pkey PRIMARY KEY (tbl, key_json);


--
-- Name: _shuttle_tables _shuttle_tables_name_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public._shuttle_tables
    ADD CONSTRAINT _shuttle_tables_name_key UNIQUE (name);


--
-- Name: _shuttle_tables _shuttle_tables_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public._shuttle_tables
    ADD CONSTRAINT _shuttle_tables_pkey PRIMARY KEY (id);


--
-- Name: project project_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.project
    ADD CONSTRAINT project_pkey PRIMARY KEY (id);


--
-- Name: tag tag_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tag
    ADD CONSTRAINT tag_pkey PRIMARY KEY (project_id, label);


--
-- Name: task task_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.task
    ADD CONSTRAINT task_pkey PRIMARY KEY (id);


--
-- Name: _shuttle_feed_seq; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX _shuttle_feed_seq ON public._shuttle_feed USING btree (seq);


--
-- Name: project _shuttle_capture; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER _shuttle_capture AFTER INSERT OR DELETE OR UPDATE ON public.project FOR EACH ROW EXECUTE FUNCTION public._shuttle_capture_1();


--
-- Name: tag _shuttle_capture; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER _shuttle_capture AFTER INSERT OR DELETE OR UPDATE ON public.tag FOR EACH ROW EXECUTE FUNCTION public._shuttle_capture_2();


--
-- Name: task _shuttle_capture; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER _shuttle_capture AFTER INSERT OR DELETE OR UPDATE ON public.task FOR EACH ROW EXECUTE FUNCTION public._shuttle_capture_3();


--
-- Name: tag tag_project_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tag
    ADD CONSTRAINT tag_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.project(id);


--
-- Name: task task_project_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.task
    ADD CONSTRAINT task_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.project(id);


--
-- PostgreSQL database dump complete
--


