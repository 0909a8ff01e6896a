// The province's PostgreSQL tables. Every row that mirrors a commune's state carries the
// version it had at the commune (its outbox sequence number), and an update is applied only
// when newer: messages redelivered, duplicated or overtaken change nothing.
import type pg from 'pg'

const SCHEMA = `
CREATE TABLE IF NOT EXISTS communes (
  code text PRIMARY KEY, name text NOT NULL, public_key text NOT NULL UNIQUE, basin text,
  lat double precision, lon double precision, created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE IF NOT EXISTS commune_health (
  commune text PRIMARY KEY, at bigint NOT NULL, version text, journal_depth bigint, outbox_bytes bigint, lag jsonb NOT NULL DEFAULT '{}');
CREATE TABLE IF NOT EXISTS alarms (
  commune text NOT NULL, alarm_id bigint NOT NULL, version bigint NOT NULL, change text NOT NULL, type text NOT NULL,
  severity text NOT NULL, state text NOT NULL, acknowledged boolean NOT NULL, subject text NOT NULL, device_id text,
  village text, kind text, details jsonb NOT NULL DEFAULT '{}', started_at bigint, cleared_at bigint, received_at bigint NOT NULL,
  PRIMARY KEY (commune, alarm_id));
CREATE TABLE IF NOT EXISTS presence (
  commune text NOT NULL, device_id text NOT NULL, version bigint NOT NULL, online boolean NOT NULL, at bigint NOT NULL, reason text,
  kind text, name text, village text, PRIMARY KEY (commune, device_id));
CREATE TABLE IF NOT EXISTS proof (
  commune text NOT NULL, command_id text NOT NULL, version bigint NOT NULL, device_id text NOT NULL, status text NOT NULL,
  reason text, params jsonb NOT NULL DEFAULT '{}', created_at bigint, updated_at bigint NOT NULL,
  PRIMARY KEY (commune, command_id));
CREATE TABLE IF NOT EXISTS broadcasts (
  commune text NOT NULL, broadcast_id text NOT NULL, version bigint NOT NULL, title text NOT NULL, priority text NOT NULL,
  status text NOT NULL, summary jsonb NOT NULL DEFAULT '{}', created_at bigint, updated_at bigint,
  PRIMARY KEY (commune, broadcast_id));
CREATE TABLE IF NOT EXISTS device_events (
  commune text NOT NULL, device_id text NOT NULL, ts bigint NOT NULL, type text NOT NULL, body jsonb NOT NULL,
  PRIMARY KEY (commune, device_id, ts, type));
CREATE TABLE IF NOT EXISTS gaps (
  commune text NOT NULL, lane text NOT NULL, first bigint NOT NULL, last bigint NOT NULL, count bigint NOT NULL, at bigint NOT NULL,
  PRIMARY KEY (commune, lane, first));
CREATE TABLE IF NOT EXISTS province_alarms (
  id bigserial PRIMARY KEY, rule text NOT NULL, subject text NOT NULL, state text NOT NULL, details jsonb NOT NULL DEFAULT '{}',
  raised_at bigint NOT NULL, cleared_at bigint, acknowledged_by text, acknowledged_at bigint);
CREATE TABLE IF NOT EXISTS province_users (
  username text PRIMARY KEY, name text NOT NULL, role text NOT NULL, department text, password_hash text NOT NULL,
  must_change boolean NOT NULL DEFAULT true, created_at bigint NOT NULL);
CREATE TABLE IF NOT EXISTS province_sessions (
  token_hash text PRIMARY KEY, username text NOT NULL REFERENCES province_users ON DELETE CASCADE, csrf text NOT NULL,
  expires_at bigint NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS province_alarms_one_active ON province_alarms (rule, subject) WHERE state = 'active';
-- Provincial bulletins (issue #19): the audio the boxes fetch once, each bulletin with its
-- approval, and per target commune what was published and the latest proof it sent up
-- (a snapshot of every cluster, applied only when newer).
ALTER TABLE province_users ADD COLUMN IF NOT EXISTS may_approve boolean NOT NULL DEFAULT false;
CREATE TABLE IF NOT EXISTS province_audio (
  sha256 text PRIMARY KEY, content_type text NOT NULL, bytes bigint NOT NULL, data bytea NOT NULL, created_by text NOT NULL, created_at bigint NOT NULL);
CREATE TABLE IF NOT EXISTS province_bulletins (
  id uuid PRIMARY KEY, title text NOT NULL, priority text NOT NULL, text text, voice text, audio_sha256 text REFERENCES province_audio,
  repeat int NOT NULL, gap_s real NOT NULL, ttl_s int NOT NULL, targets jsonb NOT NULL, status text NOT NULL, origin text NOT NULL,
  created_by text NOT NULL, created_at bigint NOT NULL, approved_by text, approved_at bigint, decision_comment text, sent_at bigint,
  details jsonb NOT NULL DEFAULT '{}');
CREATE TABLE IF NOT EXISTS province_bulletin_targets (
  bulletin_id uuid NOT NULL REFERENCES province_bulletins ON DELETE CASCADE, commune text NOT NULL, villages jsonb,
  published_at bigint, publish_error text, reachable boolean NOT NULL DEFAULT true,
  version bigint, status text, reason text, summary jsonb, deliveries jsonb, answered_at bigint,
  PRIMARY KEY (bulletin_id, commune));
-- The basin map (issue #19): for each station, the villages downstream with their communes;
-- and when the province last warned for a reservoir (its name, or the station's id without one):
-- one warning per reservoir per 30 minutes, whichever worker saw the alarm.
CREATE TABLE IF NOT EXISTS basin_stations (
  commune text NOT NULL, station_id text NOT NULL, name text NOT NULL, reservoir text, basin text,
  downstream jsonb NOT NULL DEFAULT '[]', updated_at bigint NOT NULL, PRIMARY KEY (commune, station_id));
ALTER TABLE province_alarms ADD COLUMN IF NOT EXISTS escalation int NOT NULL DEFAULT 0;
ALTER TABLE province_alarms ADD COLUMN IF NOT EXISTS escalated_at bigint;
CREATE TABLE IF NOT EXISTS flood_warned (commune text NOT NULL, station_id text NOT NULL, at bigint NOT NULL, PRIMARY KEY (commune, station_id));
-- A camera's picture, asked for explicitly (issue #20): who asked, when, why, for which camera of
-- which commune; the picture kept with its request until the retention prunes it (data set to
-- NULL, the request stays); every request and every view in the province's own audit log.
ALTER TABLE province_users ADD COLUMN IF NOT EXISTS may_request_pictures boolean NOT NULL DEFAULT false;
CREATE TABLE IF NOT EXISTS picture_requests (
  id uuid PRIMARY KEY, commune text NOT NULL REFERENCES communes, camera_id text NOT NULL, reason text NOT NULL,
  requested_by text NOT NULL, requested_at bigint NOT NULL, expires_at bigint NOT NULL, status text NOT NULL,
  answer text, answered_at bigint, taken_at bigint, bytes int, data bytea, pruned_at bigint);
CREATE TABLE IF NOT EXISTS province_audit (
  id bigserial PRIMARY KEY, at bigint NOT NULL, username text NOT NULL, action text NOT NULL, target text, details jsonb NOT NULL DEFAULT '{}');
`

export async function migrate (pool: pg.Pool): Promise<void> {
  // Several workers may start at once: one migrates, the others wait on the lock.
  const client = await pool.connect()
  try {
    await client.query('SELECT pg_advisory_lock(1717)')
    await client.query(SCHEMA)
  } finally {
    await client.query('SELECT pg_advisory_unlock(1717)').catch(() => {})
    client.release()
  }
}
