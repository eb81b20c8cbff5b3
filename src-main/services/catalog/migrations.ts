/**
 * Versioned schema migrations; index i holds the SQL that takes user_version i to i+1.
 * Never edit a migration that has shipped: append a new one.
 */
export const MIGRATIONS: readonly string[] = [
  /* 1: bookkeeping */ `
  CREATE TABLE app_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  `,
  /* 2: catalog (patients, scans, segmentations, models, reports, audit, import runs) */ `
  CREATE TABLE patients (
    id INTEGER PRIMARY KEY,
    external_id TEXT NOT NULL UNIQUE,
    name TEXT,
    birth_date TEXT,
    sex TEXT,
    created_at TEXT NOT NULL
  );
  CREATE TABLE scans (
    id INTEGER PRIMARY KEY,
    patient_id INTEGER REFERENCES patients(id),
    eye TEXT NOT NULL DEFAULT 'unknown' CHECK (eye IN ('OD','OS','unknown')),
    acquired_at TEXT,
    device TEXT,
    protocol TEXT,
    tags TEXT NOT NULL DEFAULT '',
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    axial_um REAL,
    lateral_um REAL,
    scale_provenance TEXT NOT NULL DEFAULT 'unknown' CHECK (scale_provenance IN ('file','device-profile','user','unknown')),
    scale_source TEXT,
    original_path TEXT NOT NULL,
    sha256 TEXT NOT NULL UNIQUE,
    stored_file TEXT NOT NULL,
    mime TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    imported_at TEXT NOT NULL,
    deleted_at TEXT,
    review_status TEXT,
    flagged INTEGER NOT NULL DEFAULT 0
  );
  -- Partial indexes over live (not deleted) scans; the rowid (import order) is each index's tail, so a
  -- filtered page ordered by import comes straight off an index.
  CREATE INDEX scans_patient ON scans(patient_id) WHERE deleted_at IS NULL;
  CREATE INDEX scans_eye ON scans(eye) WHERE deleted_at IS NULL;
  CREATE INDEX scans_acquired ON scans(acquired_at, eye, review_status, flagged) WHERE deleted_at IS NULL;
  CREATE INDEX scans_acquired_order ON scans(acquired_at) WHERE deleted_at IS NULL;
  CREATE INDEX scans_review ON scans(review_status) WHERE deleted_at IS NULL;
  CREATE INDEX scans_flagged ON scans(flagged) WHERE deleted_at IS NULL;
  CREATE INDEX scans_deleted ON scans(deleted_at) WHERE deleted_at IS NOT NULL;
  -- Narrow copy of the filter columns by id: joins from scan_tags check filters without touching wide rows.
  CREATE INDEX scans_filter ON scans(id, deleted_at, eye, acquired_at, review_status, flagged, patient_id);
  CREATE TABLE scan_tags (
    scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    PRIMARY KEY (tag, scan_id)
  ) WITHOUT ROWID;
  CREATE INDEX scan_tags_scan ON scan_tags(scan_id);
  -- Free-text search (substring, 3+ characters) over path, tags, device and patient id/name.
  CREATE VIRTUAL TABLE scans_fts USING fts5(text, tokenize = 'trigram', detail = 'none');
  CREATE TABLE models (
    id TEXT NOT NULL,
    version TEXT NOT NULL,
    name TEXT NOT NULL,
    trained INTEGER NOT NULL DEFAULT 0,
    class_order TEXT,
    sha256 TEXT,
    registered_at TEXT NOT NULL,
    PRIMARY KEY (id, version)
  );
  CREATE TABLE segmentations (
    id INTEGER PRIMARY KEY,
    scan_id INTEGER NOT NULL REFERENCES scans(id),
    kind TEXT NOT NULL CHECK (kind IN ('model','manual')),
    model_id TEXT,
    model_version TEXT,
    created_at TEXT NOT NULL,
    label_map BLOB NOT NULL,
    summary_json TEXT,
    review_status TEXT NOT NULL DEFAULT 'auto' CHECK (review_status IN ('auto','reviewed','corrected')),
    reviewed_by TEXT,
    reviewed_at TEXT,
    likely_failure INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX segmentations_scan ON segmentations(scan_id, kind, created_at DESC, id DESC);
  CREATE TABLE reports (
    id INTEGER PRIMARY KEY,
    scan_id INTEGER REFERENCES scans(id),
    segmentation_id INTEGER REFERENCES segmentations(id),
    kind TEXT NOT NULL,
    path TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT
  );
  CREATE INDEX reports_scan ON reports(scan_id);
  CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    scan_id INTEGER,
    details_json TEXT
  );
  CREATE INDEX audit_scan ON audit_log(scan_id, at);
  CREATE TABLE import_runs (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    state TEXT NOT NULL DEFAULT 'running',
    summary_json TEXT
  );
  `,
  /* 3: one review state (src-shared/domain/review.ts). A sign-off belongs to one segmentation: who and when.
     scans.review_status now holds the review state key of the scan's current segmentation (the newest
     correction, else the newest model output; NULL = not segmented). segmentations.review_status,
     reviewed_by and reviewed_at stay as the legacy mirror ('reviewed' = signed off). */ `
  ALTER TABLE segmentations ADD COLUMN signed_off_by TEXT;
  ALTER TABLE segmentations ADD COLUMN signed_off_at TEXT;
  UPDATE segmentations SET signed_off_by = COALESCE(reviewed_by, 'unknown'), signed_off_at = COALESCE(reviewed_at, created_at)
    WHERE review_status = 'reviewed';
  UPDATE scans SET review_status = NULL, flagged = 0
    WHERE NOT EXISTS (SELECT 1 FROM segmentations g WHERE g.scan_id = scans.id
      AND (g.kind = 'model' OR (json_valid(g.summary_json) AND json_type(g.summary_json, '$.correction') IS NOT NULL)));
  UPDATE scans SET (review_status, flagged) = (
    SELECT CASE WHEN g.signed_off_at IS NOT NULL THEN 'signed-off'
                WHEN g.kind = 'manual' THEN 'corrected'
                WHEN g.likely_failure = 1 THEN 'needs-review'
                ELSE 'not-reviewed' END,
           g.likely_failure
    FROM segmentations g
    WHERE g.scan_id = scans.id AND (g.kind = 'model' OR (json_valid(g.summary_json) AND json_type(g.summary_json, '$.correction') IS NOT NULL))
    ORDER BY g.kind = 'manual' DESC, g.created_at DESC, g.id DESC LIMIT 1)
  WHERE EXISTS (SELECT 1 FROM segmentations g WHERE g.scan_id = scans.id
    AND (g.kind = 'model' OR (json_valid(g.summary_json) AND json_type(g.summary_json, '$.correction') IS NOT NULL)));
  `,
  /* 4: where a scan's eye came from (domain/laterality.ts EyeSource) and how sure (0..1); both NULL while
     the eye is unknown. Eyes stored before came from a manifest or a file name. */ `
  ALTER TABLE scans ADD COLUMN eye_source TEXT CHECK (eye_source IN ('file','manifest','user','marker','anatomy'));
  ALTER TABLE scans ADD COLUMN eye_confidence REAL CHECK (eye_confidence BETWEEN 0 AND 1);
  UPDATE scans SET eye_source = 'manifest', eye_confidence = 1 WHERE eye IN ('OD','OS');
  `,
  /* 5: a scan is a series of B-scans (issue 16; domain/series.ts). Its kind and B-scan count, the vendor
     format (NULL for a plain image) and what else the file said (series_json); one bscans row per B-scan
     with its stored image and its position on the localizer; the localizer; the device's own boundaries
     per B-scan (kind 'device': no label map, so not in segmentations, whose kinds are model and manual);
     segmentations name the B-scan they belong to. Every scan stored before is a one-B-scan 'single'
     series of its own image, and the trigger keeps that true for every plain image inserted later. */ `
  ALTER TABLE scans ADD COLUMN kind TEXT NOT NULL DEFAULT 'single' CHECK (kind IN ('single','line','circle','radial','volume'));
  ALTER TABLE scans ADD COLUMN bscan_count INTEGER NOT NULL DEFAULT 1 CHECK (bscan_count >= 1);
  ALTER TABLE scans ADD COLUMN format TEXT;
  ALTER TABLE scans ADD COLUMN series_json TEXT;
  CREATE TABLE bscans (
    scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL CHECK (idx >= 0),
    stored_file TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    geometry TEXT CHECK (geometry IN ('line','circle')),
    start_x_mm REAL, start_y_mm REAL, end_x_mm REAL, end_y_mm REAL,
    centre_x_mm REAL, centre_y_mm REAL, radius_mm REAL,
    quality REAL,
    PRIMARY KEY (scan_id, idx)
  ) WITHOUT ROWID;
  INSERT INTO bscans (scan_id, idx, stored_file, sha256, width, height) SELECT id, 0, stored_file, sha256, width, height FROM scans;
  CREATE TRIGGER scans_first_bscan AFTER INSERT ON scans BEGIN
    INSERT OR IGNORE INTO bscans (scan_id, idx, stored_file, sha256, width, height) VALUES (NEW.id, 0, NEW.stored_file, NEW.sha256, NEW.width, NEW.height);
  END;
  CREATE TABLE localizers (
    scan_id INTEGER PRIMARY KEY REFERENCES scans(id) ON DELETE CASCADE,
    stored_file TEXT,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    scale_x_mm REAL,
    scale_y_mm REAL,
    modality TEXT,
    missing TEXT
  );
  CREATE TABLE device_segmentations (
    scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
    bscan_index INTEGER NOT NULL CHECK (bscan_index >= 0),
    name TEXT NOT NULL,
    source TEXT NOT NULL,
    boundary_names TEXT NOT NULL,
    width INTEGER NOT NULL,
    boundaries BLOB NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (scan_id, bscan_index)
  ) WITHOUT ROWID;
  ALTER TABLE segmentations ADD COLUMN bscan_index INTEGER NOT NULL DEFAULT 0 CHECK (bscan_index >= 0);
  CREATE INDEX segmentations_bscan ON segmentations(scan_id, bscan_index, kind, model_id, model_version);
  `,
  /* 6: why a flagged scan is flagged: the reasons (JSON array of text) of its current segmentation's quality
     findings, for cards and lists without reading summaries; NULL when not flagged. */ `
  ALTER TABLE scans ADD COLUMN flag_reasons TEXT;
  UPDATE scans SET flag_reasons = (
    SELECT CASE WHEN json_valid(g.summary_json) THEN json_extract(g.summary_json, '$.flags.reasons') END
    FROM segmentations g
    WHERE g.scan_id = scans.id AND (g.kind = 'model' OR (json_valid(g.summary_json) AND json_type(g.summary_json, '$.correction') IS NOT NULL))
    ORDER BY g.kind = 'manual' DESC, g.created_at DESC, g.id DESC LIMIT 1)
  WHERE flagged = 1;
  `,
  /* 7: a user's placement of a volume's fovea (JSON {xMm, yMm, by, at}, mm on the localizer); NULL: found
     automatically (scan-fovea.ts). */ `
  ALTER TABLE scans ADD COLUMN fovea_json TEXT;
  `,
];
