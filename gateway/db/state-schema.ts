// Migrations of the state database (state.db), oldest first. Append; never edit a released one.
export const STATE_MIGRATIONS: readonly string[] = [
  // 1: registry, presence history, commands, small key-value facts
  `
  CREATE TABLE devices (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('speaker', 'camera', 'water_sensor')),
    name TEXT NOT NULL,
    commune TEXT NOT NULL,
    village TEXT NOT NULL,
    site TEXT,
    legacy_district TEXT,
    lat REAL,
    lon REAL,
    reservoir TEXT,
    secret_salt TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    enabled INTEGER NOT NULL DEFAULT 1,
    firmware TEXT,
    model TEXT,
    firmware_changed_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX devices_by_village ON devices (village, kind);

  CREATE TABLE presence_transitions (
    device_id TEXT NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    at INTEGER NOT NULL,
    online INTEGER NOT NULL,
    reason TEXT NOT NULL
  );
  CREATE INDEX presence_by_device ON presence_transitions (device_id, at);

  CREATE TABLE commands (
    id TEXT PRIMARY KEY,
    device_id TEXT NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    params TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE INDEX commands_open ON commands (device_id, status);

  CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  `,
  // 2: people: accounts with a role, their sessions, and the audit log of what they did
  `
  CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'police', 'official', 'operator')),
    password_hash TEXT NOT NULL,
    must_change_password INTEGER NOT NULL DEFAULT 0,
    enabled INTEGER NOT NULL DEFAULT 1,
    language TEXT NOT NULL DEFAULT 'vi' CHECK (language IN ('vi', 'en')),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );

  CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    address TEXT,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL
  );
  CREATE INDEX sessions_by_user ON sessions (user_id);

  CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    role TEXT,
    action TEXT NOT NULL,
    target TEXT,
    details TEXT,
    address TEXT
  );
  CREATE INDEX audit_by_time ON audit_log (at);
  `,
  // 3: camera endpoints (issue #6): how edge probes reach a camera that speaks RTSP/ONVIF, not
  // MQTT. The password is sealed with AES-256-GCM under DATA_DIR/secret.key, never plain.
  `
  CREATE TABLE camera_endpoints (
    device_id TEXT PRIMARY KEY REFERENCES devices (id) ON DELETE CASCADE,
    rtsp_url TEXT NOT NULL,
    onvif_url TEXT,
    snapshot_url TEXT,
    username TEXT,
    password_sealed TEXT,
    updated_at INTEGER NOT NULL
  );
  `,
  // 4: alarms with their history, the notification outbox, people's notification choices and
  // per-kind / per-village / per-device threshold overrides
  `
  CREATE TABLE alarms (
    id INTEGER PRIMARY KEY,
    subject TEXT NOT NULL,
    device_id TEXT,
    village TEXT NOT NULL,
    kind TEXT,
    type TEXT NOT NULL,
    severity TEXT NOT NULL CHECK (severity IN ('critical', 'major', 'minor', 'warning')),
    state TEXT NOT NULL CHECK (state IN ('active', 'cleared')),
    acknowledged INTEGER NOT NULL DEFAULT 0,
    details TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    raised_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    cleared_at INTEGER,
    cleared_by TEXT,
    acked_at INTEGER,
    acked_by TEXT,
    escalation_level INTEGER NOT NULL DEFAULT 0,
    next_escalation_at INTEGER
  );
  CREATE UNIQUE INDEX alarms_one_active ON alarms (subject, type) WHERE state = 'active';
  CREATE INDEX alarms_by_device ON alarms (device_id, raised_at);
  CREATE INDEX alarms_by_time ON alarms (raised_at);

  CREATE TABLE alarm_history (
    alarm_id INTEGER NOT NULL REFERENCES alarms (id) ON DELETE CASCADE,
    at INTEGER NOT NULL,
    what TEXT NOT NULL,
    actor TEXT,
    comment TEXT,
    details TEXT
  );
  CREATE INDEX alarm_history_by_alarm ON alarm_history (alarm_id, at);

  CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    alarm_id INTEGER REFERENCES alarms (id) ON DELETE SET NULL,
    channel TEXT NOT NULL,
    recipient TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    created_at INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    delivered_at INTEGER
  );
  CREATE INDEX notifications_due ON notifications (status, next_attempt_at);

  CREATE TABLE notification_prefs (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    prefs TEXT NOT NULL
  );

  CREATE TABLE alarm_settings (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    value REAL NOT NULL,
    PRIMARY KEY (scope, key)
  );
  `,
  // 5: broadcasts (issue #5): audio clips (uploaded or spoken by espeak-ng), bulletins with
  // their targets, schedule and approval, one delivery per cluster and airing (each attempt a
  // play command), named groups of clusters; who may approve; how long a command may run
  // after it starts (a bulletin plays past its latest start time).
  `
  CREATE TABLE audio_clips (
    id TEXT PRIMARY KEY,
    file TEXT NOT NULL,
    content_type TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('upload', 'speech')),
    text TEXT,
    voice TEXT,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );

  CREATE TABLE broadcasts (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    priority TEXT NOT NULL CHECK (priority IN ('routine', 'priority', 'emergency')),
    clip_id TEXT NOT NULL REFERENCES audio_clips (id),
    repeat INTEGER NOT NULL DEFAULT 1,
    gap_s REAL NOT NULL DEFAULT 0,
    targets TEXT NOT NULL,
    schedule TEXT NOT NULL,
    ttl_ms INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'pending', 'scheduled', 'sent', 'done', 'cancelled', 'rejected')),
    next_at INTEGER,
    token TEXT NOT NULL UNIQUE,
    token_expires_at INTEGER,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    submitted_at INTEGER,
    approved_by TEXT,
    approved_at INTEGER,
    decision_comment TEXT,
    alarm_id INTEGER REFERENCES alarms (id) ON DELETE SET NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX broadcasts_due ON broadcasts (status, next_at);

  CREATE TABLE broadcast_deliveries (
    broadcast_id TEXT NOT NULL REFERENCES broadcasts (id) ON DELETE CASCADE,
    airing_at INTEGER NOT NULL,
    device_id TEXT NOT NULL,
    village TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('queued', 'sent', 'delivered', 'playing', 'done', 'failed', 'timed_out', 'expired')),
    reason TEXT,
    command_id TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    retry_at INTEGER,
    expires_at INTEGER NOT NULL,
    started_at INTEGER,
    finished_at INTEGER,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (broadcast_id, airing_at, device_id)
  );
  CREATE INDEX deliveries_by_command ON broadcast_deliveries (command_id);
  CREATE INDEX deliveries_retry ON broadcast_deliveries (retry_at) WHERE retry_at IS NOT NULL;
  CREATE INDEX deliveries_by_time ON broadcast_deliveries (airing_at);

  CREATE TABLE speaker_groups (
    name TEXT PRIMARY KEY,
    devices TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  );

  ALTER TABLE users ADD COLUMN may_approve INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE commands ADD COLUMN run_ms INTEGER NOT NULL DEFAULT 0;
  `,
  // live sessions (issue #21): a live session's recording is an audio clip of source 'live',
  // kept with the broadcast log. SQLite cannot widen a CHECK, so audio_clips is rebuilt; the
  // broadcasts that name its clips stay valid (their foreign key is checked at commit).
  `
  PRAGMA defer_foreign_keys = ON;
  CREATE TEMP TABLE audio_clips_copy AS SELECT * FROM audio_clips;
  DROP TABLE audio_clips;
  CREATE TABLE audio_clips (
    id TEXT PRIMARY KEY,
    file TEXT NOT NULL,
    content_type TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('upload', 'speech', 'live')),
    text TEXT,
    voice TEXT,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  INSERT INTO audio_clips SELECT * FROM audio_clips_copy;
  DROP TABLE audio_clips_copy;
  -- A live session is a broadcast whose clusters play a stream (its clip is the recording).
  ALTER TABLE broadcasts ADD COLUMN live INTEGER NOT NULL DEFAULT 0;
  -- Relays (tiếp sóng): a station's stream played at set hours; each airing is a live broadcast.
  CREATE TABLE relays (
    id TEXT PRIMARY KEY,
    spec TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('scheduled', 'done', 'cancelled')),
    next_at INTEGER,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  `,
  // 7: one level alarm per station (issue #15). The separate level_1 ... design_flood alarms
  // still active are cleared, their history kept and saying why; the station's next reading
  // raises its single water_level alarm at the stage the water is at.
  `
  INSERT INTO alarm_history (alarm_id, at, what, actor, comment, details)
    SELECT id, CAST(unixepoch('subsec') * 1000 AS INTEGER), 'cleared', NULL, NULL, '{"replacedBy":"water_level"}'
    FROM alarms WHERE state = 'active' AND type IN ('level_1', 'level_2', 'level_3', 'design_flood');
  UPDATE alarms SET state = 'cleared', cleared_at = CAST(unixepoch('subsec') * 1000 AS INTEGER), next_escalation_at = NULL,
    updated_at = CAST(unixepoch('subsec') * 1000 AS INTEGER)
    WHERE state = 'active' AND type IN ('level_1', 'level_2', 'level_3', 'design_flood');
  `,
  // 8: bulletins from the province (issue #19). The provincial id makes a redelivered command
  // a no-op; the issuer, approver and time of issue are shown on the commune's page; a bulletin
  // from the province is cancelled at the commune only with a reason, which goes up.
  `
  ALTER TABLE broadcasts ADD COLUMN province_id TEXT;
  ALTER TABLE broadcasts ADD COLUMN province TEXT;
  ALTER TABLE broadcasts ADD COLUMN cancel_reason TEXT;
  CREATE UNIQUE INDEX broadcasts_by_province_id ON broadcasts (province_id) WHERE province_id IS NOT NULL;
  `,
  // 9: integration tokens (issue #22): named, with grants, an expiry and a note; only the
  // token's SHA-256 is kept; revoked tokens stay listed so the audit log's names keep meaning.
  `
  CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    token_hash TEXT NOT NULL UNIQUE,
    grants TEXT NOT NULL,
    kinds TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    last_used_at INTEGER,
    last_used_address TEXT,
    revoked_at INTEGER,
    revoked_by TEXT
  );
  `,
  // 10: a device's kind is any kind the gateway's definitions know (issue #16, gateway/kinds/):
  // the CHECK that listed three made every new kind a table rebuild. SQLite cannot drop a
  // CHECK, so the table is rebuilt once more without it, the last time; the ingest path
  // refuses an unknown kind long before a row is written. Foreign keys are off while
  // migrating (db/database.ts), so the rows that reference devices stay.
  `
  CREATE TABLE devices_new (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    commune TEXT NOT NULL,
    village TEXT NOT NULL,
    site TEXT,
    legacy_district TEXT,
    lat REAL,
    lon REAL,
    reservoir TEXT,
    secret_salt TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    enabled INTEGER NOT NULL DEFAULT 1,
    firmware TEXT,
    model TEXT,
    firmware_changed_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  INSERT INTO devices_new (id, kind, name, commune, village, site, legacy_district, lat, lon, reservoir, secret_salt, secret_hash,
      enabled, firmware, model, firmware_changed_at, created_at, updated_at)
    SELECT id, kind, name, commune, village, site, legacy_district, lat, lon, reservoir, secret_salt, secret_hash,
      enabled, firmware, model, firmware_changed_at, created_at, updated_at FROM devices;
  DROP TABLE devices;
  ALTER TABLE devices_new RENAME TO devices;
  CREATE INDEX devices_by_village ON devices (village, kind);
  `
]
