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
  `
]
